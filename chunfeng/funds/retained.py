"""不滞留: money still unspent when a campaign's activity period is over — raised by a union and
not paid out by it before 春节 (the seed: 确保资金在春节前全部使用完毕). Read by the ledger page,
the 汇总 page's funds panel (``summary.records``) and, through ``retained_for``, any dashboard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign
from chunfeng.core.panels import Panel, contribute
from chunfeng.orgunits.models import OrgUnit

from .ledger import own_figures


@dataclass
class Retained:
    unit: OrgUnit
    raised: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.raised - self.paid


def period_over(campaign: Campaign, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) > campaign.period_end


def retained_in(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> list[Retained]:
    """The unions of ``root``'s subtree still holding money of ``campaign`` (their own receipts
    less their own payments) once its activity period is over; none before. Four queries,
    whatever the size of the subtree: only the units that hold money are loaded."""
    if not period_over(campaign, today):
        return []
    figures = own_figures(campaign, root, receiving_only=True)  # no receipt, no balance
    holding = {pk: own for pk, own in figures.items() if own.balance > 0}
    units = OrgUnit.objects.filter(pk__in=list(holding), path__startswith=root.path)
    found = [Retained(u, holding[u.pk].raised, holding[u.pk].paid) for u in units]
    return sorted(found, key=lambda r: r.unit.path)


def retained_for(user, campaign: Campaign, unit: OrgUnit | None = None, today=None):
    """``retained_in`` for ``unit`` (default: the user's own), 404 outside the user's subtree:
    the selector the dashboards use."""
    unit = unit or user.unit
    if not unit.is_within(user.unit):
        raise Http404(_("该单位不在您的管辖范围内"))
    return retained_in(campaign, unit, today)


def summary_retained(request, *, summary, **_context) -> Panel | None:
    """On the 汇总 of a form that reports the campaign's money (its figures drawn from the
    receipts, as 附件1 item 05): who still holds money."""
    if not any(d.records == "receipts" for d in summary.definition.derived):
        return None
    rows = retained_in(summary.campaign, summary.unit)
    if not rows:
        return None
    return Panel(
        "funds/_retained.html",
        {"retained": rows, "retained_total": sum((r.balance for r in rows), Decimal("0.00"))},
    )


def register() -> None:
    contribute("summary.records", summary_retained, order=60)
