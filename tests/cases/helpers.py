"""Cases built through the services, at a given moment (the 2012 campaign's days)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from chunfeng.cases.services import case_create
from chunfeng.core.idnumbers import check_digit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> dt.datetime:
    """``at("2012-01-20")`` → 10:00 that day, Beijing time."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def ident(birth: str, seq: int, region: str = "210202") -> str:
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + check_digit(first17)


def call(fed, *, taker=None, unit=None, when="2012-01-20", **data):
    """A hotline call taken at the city (unless ``taker``), about 中山区 by default."""
    taker = taker or fed.user("city", "filler")
    fields = {
        "caller_name": "王大山",
        "caller_phone": "13904110001",
        "request_type": "service",
        "category": "wages",
        "description": "工地拖欠三个月工资",
        "region": "210202001",
    } | data
    return case_create(
        intake_unit=taker.unit, data=fields, actor=taker, unit=unit, received_at=at(when)
    )


def give_phone(user, phone: str):
    user.phone = phone
    user.save(update_fields=["phone"])
    return user
