"""Households, batches and lines for the funds tests, built through the services."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from chunfeng.core.actors import SYSTEM
from chunfeng.core.idnumbers import check_digit
from chunfeng.funds.models import Receipt
from chunfeng.funds.services import batch_create, line_add
from chunfeng.register.services import household_create

PAID_ON = dt.date(2012, 1, 5)


def ident(seq: int, *, birth: str = "19700101", region: str = "210202") -> str:
    """A valid 18-digit ID number: region, birth date, a 3-digit sequence and its check digit."""
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + check_digit(first17)


def household(
    unit,
    seq: int,
    name: str = "",
    *,
    birth: str = "19700101",
    region: str = "",
    phone: str = "",
    bank: str = "",
    category: str = "B",
):
    region = region or (unit.code[:6] if unit.code[:6].isdigit() else "210200")
    number = ident(seq, birth=birth, region=region)
    data = {
        "id_number": number,
        "name": name or f"职工{seq}",
        "category": category,
        "phone": phone,
        "bank_account": bank,
        "family_size": 3,
        "income": "500",
    }
    return household_create(unit=unit, data=data, actor=SYSTEM)


def receive(fed, unit, amount: str, source: str = "union", on=dt.date(2011, 12, 25)) -> Receipt:
    """Money the unit received for the campaign (stored as it is, without the services)."""
    return Receipt.objects.create(
        unit=unit, campaign=fed.campaign, source=source, amount=Decimal(amount), received_on=on
    )


def batch(fed, unit, user, name: str = "第一批", campaign=None):
    return batch_create(unit=unit, campaign=campaign or fed.campaign, name=name, actor=user)


def pay(batch_, user, hh, amount="500.00", *, kind="cash", goods="", aid="condolence", on=PAID_ON):
    return line_add(
        batch=batch_,
        id_number=hh.id_number,
        amount=amount,
        kind=kind,
        goods=goods,
        aid_type=aid,
        paid_on=on,
        actor=user,
    )


def text(response) -> str:
    return response.content.decode()


def squash(text_: str) -> str:
    return re.sub(r"\s+", " ", text_)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a (tiny) photo of a signed sheet
