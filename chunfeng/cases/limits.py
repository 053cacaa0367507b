"""Time limits (办理时限): configuration, and a case's deadlines computed from them.

Defaults come from the settings (``CHUNFENG_CASE_ACK_WORKDAYS``: acknowledge within 1 working
day; ``CHUNFENG_CASE_LIMITS``: 一般 3, 难点 10, 特别复杂 30 working days); ``TimeLimit`` rows,
edited on the settings page, override them for one request type, or for every type (an empty
type)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import Case, Difficulty, TimeLimit
from .workdays import Calendar

DEFAULT_LIMITS: dict[str, int] = {
    Difficulty.GENERAL: 3,
    Difficulty.HARD: 10,
    Difficulty.COMPLEX: 30,
}


def ack_workdays() -> int:
    return int(getattr(settings, "CHUNFENG_CASE_ACK_WORKDAYS", 1))


def default_workdays(difficulty: str) -> int:
    configured = getattr(settings, "CHUNFENG_CASE_LIMITS", None) or DEFAULT_LIMITS
    return int(configured.get(difficulty, DEFAULT_LIMITS[difficulty]))


def limit_workdays(request_type: str, difficulty: str) -> int:
    rows = dict(
        TimeLimit.objects.filter(
            request_type__in=(request_type, ""), difficulty=difficulty
        ).values_list("request_type", "workdays")
    )
    if request_type in rows:
        return rows[request_type]
    if "" in rows:
        return rows[""]
    return default_workdays(difficulty)


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class Deadlines:
    ack_due: dt.date
    due: dt.date
    workdays: int  # the limit in working days, extensions included


def deadlines(
    received_at: dt.datetime, request_type: str, difficulty: str, extended: int = 0
) -> Deadlines:
    calendar = Calendar()
    start = local_date(received_at)
    workdays = limit_workdays(request_type, difficulty) + extended
    return Deadlines(
        ack_due=calendar.add(start, ack_workdays()),
        due=calendar.add(start, workdays),
        workdays=workdays,
    )


@dataclass(frozen=True)
class Clock:
    """What a case's clock shows: the limit, working days left (negative: overdue by) and
    whether it is near the limit (the reminder)."""

    due: dt.date
    left: int | None  # None once closed
    overdue: bool
    near: bool
    ack_late: bool

    @property
    def overdue_days(self) -> int:
        return -self.left if self.left is not None and self.left < 0 else 0


def remind_workdays() -> int:
    return int(getattr(settings, "CHUNFENG_CASE_REMIND_WORKDAYS", 1))


def clock(case: Case, today: dt.date | None = None, calendar: Calendar | None = None) -> Clock:
    today = today or timezone.localdate()
    calendar = calendar or Calendar()
    if not case.is_open:
        return Clock(case.due, None, case.on_time is False, False, False)
    if today > case.due:
        left = -calendar.between(case.due, today)
    else:
        left = calendar.between(today, case.due)
    overdue = today > case.due
    ack_late = case.acknowledged_at is None and today > case.ack_due
    return Clock(case.due, left, overdue, not overdue and left <= remind_workdays(), ack_late)
