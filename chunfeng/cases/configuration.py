"""Writes of the federation's case configuration (the admins of the union at the top): time
limits per request type and difficulty, and the days of the working-day calendar."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import NotPermitted
from chunfeng.core.rules import can_configure_cases

from .intake import field_error
from .models import CalendarDay, Difficulty, RequestType, TimeLimit


def _require(actor) -> None:
    if not can_configure_cases(actor):
        raise NotPermitted(_("只有最上级工会的管理员可以设置办理时限和工作日"))


@transaction.atomic
def time_limit_set(*, request_type: str, difficulty: str, workdays: int, actor) -> TimeLimit:
    """The limit of one request type (``""``: every type) and difficulty, in working days."""
    _require(actor)
    if request_type and request_type not in RequestType.values:
        raise field_error("request_type", "诉求类型不正确")
    if difficulty not in Difficulty.values:
        raise field_error("difficulty", "请选择难度：一般、难点或特别复杂")
    if not isinstance(workdays, int) or not 1 <= workdays <= 365:
        raise field_error("workdays", "办理时限应为 1～365 个工作日")
    limit, _created = TimeLimit.objects.update_or_create(
        request_type=request_type, difficulty=difficulty, defaults={"workdays": workdays}
    )
    audit_record(
        actor=actor,
        action="cases.time_limit",
        target=limit,
        request_type=request_type,
        difficulty=difficulty,
        workdays=workdays,
    )
    return limit


@transaction.atomic
def time_limit_remove(*, limit: TimeLimit, actor) -> None:
    _require(actor)
    audit_record(actor=actor, action="cases.time_limit_remove", target=limit)
    limit.delete()


@transaction.atomic
def calendar_day_set(*, day: dt.date, is_workday: bool, name: str, actor) -> CalendarDay:
    """A holiday or a make-up working day, winning over the calendar package (which knows no
    year after its release). Deadlines already computed keep their day."""
    _require(actor)
    entry, _created = CalendarDay.objects.update_or_create(
        day=day, defaults={"is_workday": bool(is_workday), "name": (name or "").strip()[:64]}
    )
    audit_record(
        actor=actor,
        action="cases.calendar_day",
        target=entry,
        day=day.isoformat(),
        is_workday=entry.is_workday,
    )
    return entry


@transaction.atomic
def calendar_day_remove(*, entry: CalendarDay, actor) -> None:
    _require(actor)
    audit_record(actor=actor, action="cases.calendar_day_remove", target=entry)
    entry.delete()
