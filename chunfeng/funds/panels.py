"""What the funds app shows on the register's household page (``core.panels`` slot
``household.detail``): 一户一档 — the aid paid to the family and the visits to it, across
campaigns, so one page holds everything about a family. A fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from chunfeng.core.panels import Panel, contribute

from .models import BatchStatus
from .selectors import household_aid


def household_aid_panel(request, *, household, **_context) -> Panel | None:
    lines, visits = household_aid(household)
    paid = sum(
        (
            line.amount
            for line in lines
            if not line.cancelled and line.batch.status == BatchStatus.CONFIRMED
        ),
        Decimal("0.00"),
    )
    return Panel("funds/_household_aid.html", {"aid_lines": lines, "visits": visits, "paid": paid})


def register() -> None:
    contribute("household.detail", household_aid_panel, order=60)
