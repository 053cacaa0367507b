"""Supervision of the clock, run by the scheduler (``CasesConfig.ready``): a reminder to the
handling union when its case nears the limit (``CHUNFENG_CASE_REMIND_WORKDAYS`` working days
left, once per limit), and when the limit has passed, the overdue mark and escalation to the
union above (督办), once — both in the case's log and by text message. From office hours on."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chunfeng.core.actors import SYSTEM
from chunfeng.core.audit import audit_record

from . import notify
from .limits import remind_workdays
from .models import Case, EntryKind, Status
from .services import entry_add
from .workdays import Calendar

EVERY = dt.timedelta(minutes=30)
FROM_HOUR = 8  # local time: no messages in the small hours


def cases_supervise(now: dt.datetime | None = None, *, any_hour: bool = False) -> dict[str, int]:
    """Remind and escalate what is due now; how many of each. The scheduler waits for office
    hours; ``any_hour`` is for a one-off run that must not depend on the clock (the demo load)."""
    now = timezone.localtime(now)
    if now.hour < FROM_HOUR and not any_hour:
        return {"reminded": 0, "escalated": 0}
    today, calendar = now.date(), Calendar()
    open_cases = Case.objects.exclude(status=Status.CLOSED).select_related("unit__parent")
    escalated = 0
    for case in open_cases.filter(due__lt=today, escalated_at__isnull=True):
        _escalate(case, now)
        escalated += 1
    reminded = 0
    for case in open_cases.filter(due__gte=today).exclude(reminded_for=F("due")):
        if calendar.between(today, case.due) <= remind_workdays():
            _remind(case)
            reminded += 1
    return {"reminded": reminded, "escalated": escalated}


@transaction.atomic
def _remind(case: Case) -> None:
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    case.reminded_for = case.due
    case.save(update_fields=["reminded_for"])
    entry_add(
        case,
        EntryKind.REMIND,
        f"距办理期限 {case.due:%Y-%m-%d} 不足 {remind_workdays()} 个工作日",
        SYSTEM,
    )
    audit_record(actor=SYSTEM, action="case.remind", target=case, due=case.due.isoformat())
    notify.to_unit(case, "case_near_limit")


@transaction.atomic
def _escalate(case: Case, now: dt.datetime) -> None:
    # only the case row: the union above is on the nullable side of a join
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("unit__parent").get(pk=case.pk)
    )
    above = case.unit.parent or case.unit
    case.escalated_at, case.escalated_to = now, above
    case.save(update_fields=["escalated_at", "escalated_to"])
    entry_add(
        case,
        EntryKind.ESCALATE,
        f"已超过办理期限 {case.due:%Y-%m-%d}，报{above.name}督办",
        SYSTEM,
    )
    audit_record(actor=SYSTEM, action="case.escalate", target=case, to=above.code)
    notify.to_unit(case, "case_overdue", above=above.name)
    if above.pk != case.unit_id:
        notify.to_unit(case, "case_overdue", unit=above, above=above.name)
