"""Writes of a case's intake and routing: open it (受理), change it, acknowledge it (签收),
transfer it (转办) and write its handling log. Closing, extensions, return visits and reopening
are in ``handling``; the help that follows from a case in ``help``.

Every service is keyword-only, atomic, asks the rulebook and writes its audit row; a change
of a case locks its row and refuses a write based on an older version (contract c)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import SYSTEM, user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_phone
from chunfeng.core.rules import can_handle_case, can_take_cases
from chunfeng.core.versions import check_version
from chunfeng.orgunits.models import OrgUnit

from . import notify
from .intake import clean_case, derive, field_error
from .limits import ack_workdays, deadlines, local_date
from .models import LOGGED_BY_HAND, Case, CaseCounter, CaseEntry, EntryKind, Source, Status
from .routing import responsible_unit
from .selectors import open_duplicates
from .workdays import Calendar

CASE_FIELDS = (
    "caller_name", "caller_phone", "caller_id_number", "caller_birth_year", "caller_is_migrant",
    "employer", "employer_code", "region", "request_type", "category", "difficulty",
    "description", "workers", "migrants", "amount_involved", "cross_region",
)  # fmt: skip


def entry_add(case: Case, kind: str, text: str, actor, on: dt.date | None = None) -> CaseEntry:
    """A line of the case's log (the system's own lines too)."""
    return CaseEntry.objects.create(
        case=case,
        kind=kind,
        text=text,
        on=on or timezone.localdate(),
        by=user_or_none(actor),
        unit=None if actor is SYSTEM else actor.unit,
    )


def locked(case: Case, version: int | None = None) -> Case:
    """The case's row, locked and fresh, refused when the writer read an older version."""
    fresh = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    check_version(fresh, version)
    return fresh


def moved_on(case: Case, fields: list[str]) -> None:
    """Save the changed fields and the next version (the row is locked)."""
    case.version += 1
    case.save(update_fields=[*fields, "version"])


def require_handler(actor, case: Case, what: str) -> None:
    if not can_handle_case(actor, case.unit):
        raise NotPermitted(
            _("您不能%(what)s（只有%(unit)s或其上级工会的填报员、管理员可以）")
            % {"what": what, "unit": case.unit.name}
        )


def require_open(case: Case) -> None:
    if not case.is_open:
        raise ApplicationError(
            _("工单 %(number)s 已办结；如需继续办理，请先重新办理") % {"number": case.number},
            code="bad_status",
        )


def next_number(year: int) -> str:
    counter, _new = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"12351-{year}-{counter.last:06d}"


@transaction.atomic
def case_create(
    *,
    intake_unit: OrgUnit,
    data: dict,
    actor,
    unit: OrgUnit | None = None,
    received_at: dt.datetime | None = None,
) -> Case:
    """受理: open a case taken at ``intake_unit`` and give it to the union responsible for the
    place or employer (``unit`` to choose one in the taker's own subtree). ``case.duplicates``
    are the caller's other open cases (same phone or ID number)."""
    if not can_take_cases(actor, intake_unit):
        raise NotPermitted(_("您不能在%(intake_unit)s受理工单") % {"intake_unit": intake_unit.name})
    fields = derive(clean_case(data))
    fields.setdefault("source", Source.HOTLINE)
    if unit is not None and actor is not SYSTEM and not unit.is_within(actor.unit):
        raise field_error("unit", f"{unit.name}不在您的管辖范围内，不能直接交其办理")
    target = unit or responsible_unit(fields.get("region", ""), fields.get("employer_code", ""))
    target = target or intake_unit
    received_at = received_at or timezone.now()
    limits = deadlines(received_at, fields["request_type"], fields.get("difficulty", "general"))
    case = Case.objects.create(
        number=next_number(local_date(received_at).year),
        received_at=received_at,
        intake_unit=intake_unit,
        taken_by=user_or_none(actor),
        unit=target,
        ack_due=limits.ack_due,
        due=limits.due,
        **fields,
    )
    day = local_date(received_at)
    entry_add(
        case, EntryKind.INTAKE, f"{case.get_source_display()}，{intake_unit.name}受理", actor, day
    )
    if target.pk != intake_unit.pk:
        entry_add(case, EntryKind.TRANSFER, f"按事发地（用人单位）分派至{target.name}", actor, day)
    case.duplicates.set(open_duplicates(case))
    audit_record(
        actor=actor,
        action="case.create",
        target=case,
        number=case.number,
        phone=mask_phone(case.caller_phone),
        unit=target.code,
    )
    notify.to_worker(case, "case_received")
    notify.to_unit(case, "case_assigned")
    return case


@transaction.atomic
def case_update(*, case: Case, data: dict, actor, version: int | None = None) -> Case:
    """Change what the case says (the caller, the matter, its type and difficulty); the
    deadlines follow a new type or difficulty."""
    case = locked(case, version)
    require_handler(actor, case, _("修改这件工单"))
    require_open(case)
    given = {k: v for k, v in data.items() if k in CASE_FIELDS}
    current = {name: getattr(case, name) for name in CASE_FIELDS}
    fields = derive(current | clean_case(given, partial=True))
    changes = {
        k: [str(current[k]), str(v)] for k, v in fields.items() if k in current and current[k] != v
    }
    for name, value in fields.items():
        setattr(case, name, value)
    limits = deadlines(case.received_at, case.request_type, case.difficulty, case.extended_days)
    case.ack_due, case.due = limits.ack_due, limits.due
    moved_on(case, [*fields, "ack_due", "due"])
    for secret in ("caller_phone", "caller_id_number"):
        if secret in changes:
            changes[secret] = ["（已修改）", "（已修改）"]
    if changes:
        entry_add(case, EntryKind.UPDATE, "修改了：" + "、".join(_label(k) for k in changes), actor)
    audit_record(actor=actor, action="case.update", target=case, changes=changes)
    return case


def _label(name: str) -> str:
    return str(getattr(Case._meta.get_field(name), "verbose_name", name))


@transaction.atomic
def case_acknowledge(
    *, case: Case, actor, version: int | None = None, at: dt.datetime | None = None
) -> Case:
    """签收: the handling union has the case and starts on it (``at``: when, if not now — a
    paper record entered afterwards)."""
    case = locked(case, version)
    require_handler(actor, case, _("签收这件工单"))
    if case.status != Status.NEW:
        raise ApplicationError(
            _("工单 %(number)s 不是待签收状态") % {"number": case.number}, code="bad_status"
        )
    case.status, case.acknowledged_at = Status.HANDLING, at or timezone.now()
    moved_on(case, ["status", "acknowledged_at"])
    day = local_date(case.acknowledged_at)
    entry_add(case, EntryKind.ACKNOWLEDGE, f"{case.unit.name}签收", actor, day)
    audit_record(actor=actor, action="case.acknowledge", target=case)
    return case


def transfer_allowed(actor, case: Case, to: OrgUnit) -> bool:
    """A case goes down the actor's own subtree, or back up to the union above its holder."""
    if actor is SYSTEM:
        return True
    return to.is_within(actor.unit) or to.pk == case.unit.parent_id


@transaction.atomic
def case_transfer(
    *, case: Case, to: OrgUnit, reason: str, actor, version: int | None = None
) -> Case:
    """转办: another union takes the case over (it acknowledges it anew); a reason is needed."""
    case = locked(case, version)
    require_handler(actor, case, _("转办这件工单"))
    require_open(case)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise field_error("reason", "请填写转办理由")
    if to.pk == case.unit_id:
        raise field_error("unit", f"工单已由{to.name}办理")
    if not to.active:
        raise field_error("unit", f"{to.name}已撤销，不能接收工单")
    if not transfer_allowed(actor, case, to):
        raise field_error("unit", f"工单只能转给本单位的下级工会，或退回{case.unit.name}的上级工会")
    before = case.unit
    today = timezone.localdate()
    case.unit, case.status, case.acknowledged_at = to, Status.NEW, None
    case.ack_due = max(case.ack_due, _ack_from(today))
    moved_on(case, ["unit", "status", "acknowledged_at", "ack_due"])
    entry_add(case, EntryKind.TRANSFER, f"由{before.name}转至{to.name}：{reason}", actor)
    audit_record(
        actor=actor,
        action="case.transfer",
        target=case,
        before=before.code,
        to=to.code,
        reason=reason,
    )
    notify.to_unit(case, "case_assigned")
    return case


def _ack_from(day: dt.date) -> dt.date:
    return Calendar().add(day, ack_workdays())


@transaction.atomic
def case_log(*, case: Case, kind: str, text: str, actor, on: dt.date | None = None) -> CaseEntry:
    """办理记录: a call, a visit, mediation, legal aid, a referral to labour inspection …"""
    case = locked(case)
    require_handler(actor, case, _("记录这件工单的办理情况"))
    require_open(case)
    if kind not in LOGGED_BY_HAND:
        raise field_error(
            "kind", "请选择办理方式：" + "、".join(str(k.label) for k in LOGGED_BY_HAND)
        )
    text = (text or "").strip()[:2000]
    if not text:
        raise field_error("text", "请填写办理情况")
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < local_date(case.received_at):
        raise field_error("on", "办理日期应在受理之日和今天之间")
    if case.status == Status.NEW:  # working on it is taking it
        case.status, case.acknowledged_at = Status.HANDLING, timezone.now()
    moved_on(case, ["status", "acknowledged_at"])
    entry = entry_add(case, kind, text, actor, on)
    audit_record(actor=actor, action="case.log", target=case, kind=kind, on=on.isoformat())
    return entry


def case_numbers_reveal(*, case: Case, actor) -> tuple[str, str]:
    """The caller's full phone and ID number, for those who handle the case; each view is in
    the history (contract a)."""
    require_handler(actor, case, _("查看来电人的完整号码"))
    audit_record(actor=actor, action="case.reveal", target=case)
    return case.caller_phone, case.caller_id_number
