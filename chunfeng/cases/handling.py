"""Writes at the end of a case's life and of its supervision: an extension asked and decided
(延期), closing with the outcome and the money recovered (办结), the return visit with the
worker's satisfaction (回访) and reopening (重新办理)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_return_visit, can_supervise_case

from . import notify
from .intake import clean_money, field_error
from .limits import limit_workdays, local_date
from .models import (
    Case,
    EntryKind,
    Extension,
    ExtensionStatus,
    Outcome,
    ReturnVisit,
    Satisfaction,
    Status,
)
from .selectors import pending_extension
from .services import entry_add, locked, moved_on, require_handler, require_open
from .workdays import Calendar

MAX_EXTENSION = 30  # working days one extension may add


def _supervisor(actor, case: Case, what: str) -> None:
    if not can_supervise_case(actor, case.unit):
        raise NotPermitted(
            _("只有%(unit)s的上级工会的审核员、管理员可以%(what)s")
            % {"unit": case.unit.name, "what": what}
        )


@transaction.atomic
def extension_request(*, case: Case, days: int, reason: str, actor) -> Extension:
    """申请延期: more working days, with a reason, for the supervising union to decide."""
    case = locked(case)
    require_handler(actor, case, _("为这件工单申请延期"))
    require_open(case)
    if pending_extension(case) is not None:
        raise ApplicationError(_("这件工单已有一项延期申请待审批"), code="bad_status")
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION:
        raise field_error("days", f"延期天数应为 1～{MAX_EXTENSION} 个工作日")
    reason = (reason or "").strip()[:500]
    if not reason:
        raise field_error("reason", "请填写延期理由")
    extension = Extension.objects.create(
        case=case, days=days, reason=reason, asked_by=user_or_none(actor)
    )
    entry_add(case, EntryKind.EXTENSION, f"申请延期 {days} 个工作日：{reason}", actor)
    audit_record(
        actor=actor, action="case.extension_request", target=case, days=days, reason=reason
    )
    return extension


@transaction.atomic
def extension_decide(*, extension: Extension, approve: bool, note: str, actor) -> Extension:
    """The supervising union approves (the limit moves on by the days asked) or refuses."""
    case = locked(extension.case)
    _supervisor(actor, case, _("审批延期申请"))
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise ApplicationError(_("这项延期申请已经审批过了"), code="bad_status")
    note = (note or "").strip()[:500]
    if not approve and not note:
        raise field_error("note", "不批准延期时请说明理由")
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at = user_or_none(actor), timezone.now()
    extension.decision_note = note
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    text = f"{'批准' if approve else '不批准'}延期 {extension.days} 个工作日"
    if approve and case.is_open:
        case.extended_days += extension.days
        case.due = Calendar().add(case.due, extension.days)
        case.reminded_for = None
        moved_on(case, ["extended_days", "due", "reminded_for"])
        text += f"，办理期限延至 {case.due:%Y-%m-%d}"
    entry_add(case, EntryKind.EXTENSION_DECISION, text + (f"：{note}" if note else ""), actor)
    audit_record(
        actor=actor, action="case.extension_decide", target=case, approve=approve, note=note
    )
    return extension


@transaction.atomic
def case_close(
    *,
    case: Case,
    outcome: str,
    actor,
    note: str = "",
    recovered: Decimal | str | int = 0,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """办结: the outcome (solved, partly, not — the last two with a reason) and the money
    recovered for the worker (元, e.g. 欠薪追回); ``at`` when, if not now (a paper record
    entered afterwards)."""
    case = locked(case, version)
    require_handler(actor, case, _("办结这件工单"))
    require_open(case)
    if outcome not in Outcome.values:
        raise field_error("outcome", "请选择办理结果：已解决、部分解决或未解决")
    note = (note or "").strip()[:500]
    if outcome != Outcome.SOLVED and not note:
        raise field_error("note", "部分解决或未解决时请说明原因")
    try:
        money = clean_money(recovered, "追回金额")
    except ValueError as exc:
        raise field_error("recovered", str(exc)) from None
    now = at or timezone.now()
    case.status, case.outcome, case.outcome_note = Status.CLOSED, outcome, note
    case.recovered = money
    case.closed_at, case.closed_by_unit = now, case.unit
    case.on_time = local_date(now) <= case.due
    case.acknowledged_at = case.acknowledged_at or now
    fields = ["status", "outcome", "outcome_note", "recovered", "closed_at", "closed_by_unit"]
    moved_on(case, [*fields, "on_time", "acknowledged_at"])
    text = f"{case.get_outcome_display()}" + (f"：{note}" if note else "")
    if money:
        text += f"；为职工追回 {money} 元"
    entry_add(case, EntryKind.CLOSE, text, actor, local_date(now))
    audit_record(
        actor=actor,
        action="case.close",
        target=case,
        outcome=outcome,
        recovered=str(money),
        on_time=case.on_time,
    )
    notify.to_worker(case, "case_closed", outcome=case.get_outcome_display())
    return case


@transaction.atomic
def case_return_visit(
    *, case: Case, satisfaction: str, actor, note: str = "", on: dt.date | None = None
) -> ReturnVisit:
    """回访: the worker's satisfaction with a closed case."""
    case = locked(case)
    if not can_return_visit(actor, case.unit):
        raise NotPermitted(_("只有承办工会及其上级工会的工作人员可以回访"))
    if case.is_open:
        raise ApplicationError(_("工单办结后才能回访"), code="bad_status")
    if satisfaction not in Satisfaction.values:
        raise field_error("satisfaction", "请选择满意度：满意、基本满意或不满意")
    on = on or timezone.localdate()
    closed_on = local_date(case.closed_at) if case.closed_at else on
    if on > timezone.localdate() or on < closed_on:
        raise field_error("on", "回访日期应在办结之日和今天之间")
    visit = ReturnVisit.objects.create(
        case=case,
        satisfaction=satisfaction,
        note=(note or "").strip()[:500],
        on=on,
        by=user_or_none(actor),
    )
    case.satisfaction = satisfaction
    moved_on(case, ["satisfaction"])
    entry_add(
        case,
        EntryKind.RETURN_VISIT,
        f"{visit.get_satisfaction_display()} {visit.note}".strip(),
        actor,
        on,
    )
    audit_record(actor=actor, action="case.return_visit", target=case, satisfaction=satisfaction)
    more = "我们将重新办理您的诉求。" if satisfaction == Satisfaction.UNSATISFIED else ""
    notify.to_worker(case, "case_visited", satisfaction=visit.get_satisfaction_display(), more=more)
    return visit


@transaction.atomic
def case_reopen(*, case: Case, reason: str, actor, version: int | None = None) -> Case:
    """重新办理 (e.g. after an unsatisfied return visit): the same union handles it again,
    with a new limit counted from today."""
    case = locked(case, version)
    _supervisor(actor, case, _("重新办理已办结的工单"))
    if case.is_open:
        raise ApplicationError(_("工单尚未办结"), code="bad_status")
    reason = (reason or "").strip()[:500]
    if not reason:
        raise field_error("reason", "请填写重新办理的理由")
    today = timezone.localdate()
    calendar = Calendar()
    case.status, case.reopened = Status.HANDLING, case.reopened + 1
    case.outcome, case.outcome_note, case.closed_at, case.on_time = "", "", None, None
    case.due = calendar.add(today, limit_workdays(case.request_type, case.difficulty))
    case.reminded_for, case.escalated_at, case.escalated_to = None, None, None
    fields = ["status", "reopened", "outcome", "outcome_note", "closed_at", "on_time", "due"]
    moved_on(case, [*fields, "reminded_for", "escalated_at", "escalated_to"])
    entry_add(case, EntryKind.REOPEN, f"{reason}；新的办理期限 {case.due:%Y-%m-%d}", actor)
    audit_record(actor=actor, action="case.reopen", target=case, reason=reason)
    notify.to_unit(case, "case_assigned")
    return case
