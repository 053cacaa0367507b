"""Four eyes on a household's bank account and ID number: a filler's (or an admin's) edit of
either asks for the change; it takes effect only when a reviewer of the keeping union or above
approves it (``rules.can_approve_personal_change``), and a rejection says why. Redirecting aid
to another card, or a file to another person, thus needs two people. Every step is audited,
the numbers masked in the history and sealed beside it (``history``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.idnumbers import parse_id
from chunfeng.core.rules import can_approve_personal_change
from chunfeng.core.sealed import seal, unseal

from .history import audited_changes, masked
from .models import ChangeStatus, Household, PendingChange, Person, ReviewedField
from .onefile import field_error, refuse_second_file

REVIEWED = tuple(ReviewedField.values)


def change_request(*, household: Household, field: str, value: str, actor) -> PendingChange:
    """Ask for ``field`` of ``household`` to become ``value`` (already validated by the edit
    that asks; called inside its transaction). A change of the same field still waiting is
    replaced by this one."""
    old = getattr(household, field)
    change, _created = PendingChange.objects.select_for_update().update_or_create(
        household=household,
        field=field,
        status=ChangeStatus.PENDING,
        defaults={
            "masked": masked(field, value),
            "sealed": seal({"old": old, "new": value}),
            "requested_by": user_or_none(actor),
            "requested_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="household.change_request",
        target=household,
        change=change.pk,
        **audited_changes({field: [old, value]}),
    )
    return change


def _decidable(change: PendingChange, actor) -> PendingChange:
    if not can_approve_personal_change(actor, change.household.unit):
        raise NotPermitted(_("只有建档单位或其上级单位的审核员可以审核银行卡号、身份证号码的变更"))
    change = (
        PendingChange.objects.select_for_update()
        .select_related("household__unit")
        .get(pk=change.pk)
    )
    if change.status != ChangeStatus.PENDING:
        raise ApplicationError(_("这项变更已经审核过了"), code="bad_status")
    return change


@transaction.atomic
def change_approve(*, change: PendingChange, actor, reason: str = "") -> PendingChange:
    """Apply the change to the household (a new ID number also moves its 一户一档 entry, and
    the gender and birth date it carries); the household's version moves on."""
    change = _decidable(change, actor)
    household = Household.objects.select_for_update().get(pk=change.household_id)
    values = unseal(change.sealed)
    new, old = values["new"], getattr(household, change.field)
    updated = [change.field, "version"]
    if change.field == ReviewedField.ID_NUMBER:
        refuse_second_file(new, actor, household)
        ident = parse_id(new)
        household.gender, household.birth_date = ident.gender, ident.birth_date
        updated += ["gender", "birth_date"]
        _move_person(household, old, new, actor)
    setattr(household, change.field, new)
    household.version += 1
    household.save(update_fields=updated)
    return _decide(change, ChangeStatus.APPROVED, actor, reason, {change.field: [old, new]})


def _move_person(household: Household, old: str, new: str, actor) -> None:
    try:
        with transaction.atomic():
            Person.objects.filter(household=household, id_number=old, is_worker=True).update(
                id_number=new
            )
    except IntegrityError:  # a file for the new number was made meanwhile
        refuse_second_file(new, actor, household)
        raise


@transaction.atomic
def change_reject(*, change: PendingChange, actor, reason: str) -> PendingChange:
    change = _decidable(change, actor)
    reason = (reason or "").strip()
    if not reason:
        field_error("reason", "驳回时请填写理由")
    values = unseal(change.sealed)
    return _decide(
        change, ChangeStatus.REJECTED, actor, reason, {change.field: [values["old"], values["new"]]}
    )


def _decide(change: PendingChange, status: str, actor, reason: str, values: dict):
    change.status, change.reason = status, reason.strip()[:200]
    change.decided_by, change.decided_at = user_or_none(actor), timezone.now()
    change.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    action = (
        "household.change_approve" if status == ChangeStatus.APPROVED else "household.change_reject"
    )
    audit_record(
        actor=actor,
        action=action,
        target=change.household,
        change=change.pk,
        reason=change.reason,
        **audited_changes(values),
    )
    return change
