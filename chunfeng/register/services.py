"""Writes to the hardship households register. 一户一档 is enforced here with a clear message
(naming the union that already holds a person's file when it lies in the filler's subtree,
else only that it exists elsewhere: contract (d)), and in the database by a constraint.

An edit is applied only to the version it was read at (contract (c)); a change of the bank
account or the ID number waits for a reviewer (``changes``)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import mask_id
from chunfeng.core.rules import can_edit_households
from chunfeng.core.versions import check_version

from .changes import REVIEWED, change_request
from .history import FIELD_LABELS, audited_changes, masked
from .models import Household, HouseholdStatus, Member, Person
from .onefile import field_error, refuse_second_file
from .validation import clean_household


def clean_household_data(data: dict) -> dict:
    """Validate and normalise the fields of a household (from a form or the API): every problem
    is named by its field in the error's details, the first one in its message."""
    fields, problems = clean_household(data)
    if problems:
        raise ApplicationError(
            problems[0][1],
            code="invalid",
            details=[{"field": name, "message": message} for name, message in problems],
        )
    return fields


@transaction.atomic
def household_create(
    *, unit, data: dict, actor, members: tuple[dict, ...] | list[dict] = ()
) -> Household:
    if not can_edit_households(actor, unit):
        raise NotPermitted(_("您不能为%(unit)s建立困难职工档案") % {"unit": unit.name})
    if not unit.active:
        raise ApplicationError(
            _("%(unit)s已撤销，不能再建档") % {"unit": unit.name}, code="retired_unit"
        )
    fields = clean_household_data(data)
    refuse_second_file(fields["id_number"], actor)
    household = Household.objects.create(unit=unit, created_by=user_or_none(actor), **fields)
    persons = [Person(id_number=household.id_number, household=household, is_worker=True)]
    for m in members:
        member = _member(household, m)
        if member.id_number:
            refuse_second_file(member.id_number, actor)
            persons.append(Person(id_number=member.id_number, household=household, is_worker=False))
    try:
        with transaction.atomic():
            Person.objects.bulk_create(persons)
    except IntegrityError:  # a concurrent file for the same person won the race
        refuse_second_file(fields["id_number"], actor)
        raise
    audit_record(
        actor=actor,
        action="household.create",
        target=household,
        id=mask_id(household.id_number),
        unit=unit.code,
    )
    return household


def _member(household, data) -> Member:
    number = ""
    if data.get("id_number"):
        try:
            number = parse_id(data["id_number"]).number
        except InvalidIdNumber as exc:
            field_error("members", f"家庭成员 {data.get('name', '')}：{exc}")
    return Member.objects.create(
        household=household,
        name=str(data.get("name", ""))[:64],
        id_number=number,
        relation=str(data.get("relation", ""))[:16],
    )


DERIVED_FROM_ID = ("gender", "birth_date")  # follow the ID number, changed only on approval


@transaction.atomic
def household_update(
    *, household: Household, data: dict, actor, version: int | None = None
) -> Household:
    """Change the fields given in ``data``. ``version`` is the household's version the writer
    read: when it has been saved since, nothing is saved and ``Stale`` (409) names the fields
    where the stored value differs from the writer's (personal numbers masked). A new bank
    account or ID number is not applied but asked for: a reviewer decides (``changes``);
    ``household.asked`` lists the changes asked."""
    if not can_edit_households(actor, household.unit):
        raise NotPermitted(_("您不能修改这份档案"))
    household = Household.objects.select_for_update().select_related("unit").get(pk=household.pk)
    fields = clean_household_data({**_current(household), **data})
    check_version(household, version, _differing(household, data, fields))
    asked = {k: fields.pop(k) for k in REVIEWED if fields[k] != getattr(household, k)}
    for key in DERIVED_FROM_ID:
        fields.pop(key, None)
    if "id_number" in asked:
        refuse_second_file(asked["id_number"], actor, household)
    changes = {
        k: [str(getattr(household, k)), str(v)]
        for k, v in fields.items()
        if getattr(household, k) != v
    }
    if changes:
        for key in changes:
            setattr(household, key, fields[key])
        household.version += 1
        household.save(update_fields=[*changes, "version"])
        audit_record(
            actor=actor, action="household.update", target=household, **audited_changes(changes)
        )
    household.asked = [
        change_request(household=household, field=k, value=v, actor=actor) for k, v in asked.items()
    ]
    return household


def _differing(household: Household, data: dict, fields: dict) -> list[dict]:
    """The fields the writer sends whose stored value is another, with both (masked)."""
    out = []
    for key in data:
        if key in fields and fields[key] != getattr(household, key):
            now, sent = masked(key, getattr(household, key)), masked(key, fields[key])
            label = FIELD_LABELS.get(key, key)
            message = f"{label}：现为“{now or '空'}”，您填的是“{sent or '空'}”"
            out.append({"field": key, "message": message})
    return out


def _current(h: Household) -> dict:
    keys = (
        "id_number",
        "name",
        "category",
        "income",
        "family_size",
        "phone",
        "employer",
        "is_migrant",
        "is_model_worker",
        "is_laid_off",
        "bank_account",
        "causes",
    )
    return {k: getattr(h, k) for k in keys}


@transaction.atomic
def household_escape(*, household: Household, on: dt.date, reason: str, actor) -> Household:
    """脱困: the file leaves the register (附件1 03E counts those of the year)."""
    if not can_edit_households(actor, household.unit):
        raise NotPermitted(_("您不能修改这份档案"))
    if household.status != HouseholdStatus.ACTIVE:
        raise ApplicationError(_("这份档案已经是脱困状态"), code="bad_status")
    if not reason.strip():
        field_error("escaped_reason", "请填写脱困原因")
    household.status, household.escaped_on = HouseholdStatus.ESCAPED, on
    household.escaped_reason = reason.strip()[:200]
    household.version += 1
    household.save(update_fields=["status", "escaped_on", "escaped_reason", "version"])
    household.persons.update(active=False)
    audit_record(
        actor=actor,
        action="household.escape",
        target=household,
        on=on.isoformat(),
        reason=household.escaped_reason,
    )
    return household


# --- family members -----------------------------------------------------------------------


@transaction.atomic
def household_member_add(*, household: Household, data: dict, actor) -> Member:
    """Add a family member; a member with an ID number counts for 一户一档 like the worker."""
    if not can_edit_households(actor, household.unit):
        raise NotPermitted(_("您不能修改这份档案"))
    if household.status != HouseholdStatus.ACTIVE:
        raise ApplicationError(_("已脱困的档案不能再添加家庭成员"), code="bad_status")
    name = str(data.get("name") or "").strip()
    if not name:
        field_error("name", "家庭成员的姓名不能为空")
    number = ""
    if str(data.get("id_number") or "").strip():
        try:
            number = parse_id(data["id_number"]).number
        except InvalidIdNumber as exc:
            field_error("id_number", str(exc))
        if number == household.id_number:
            field_error("id_number", "家庭成员的身份证号码与户主相同")
        refuse_second_file(number, actor)
    member = Member.objects.create(
        household=household,
        name=name[:64],
        id_number=number,
        relation=str(data.get("relation") or "").strip()[:16],
    )
    if number:
        try:
            with transaction.atomic():
                Person.objects.create(id_number=number, household=household, is_worker=False)
        except IntegrityError:  # a concurrent file for the same person won the race
            refuse_second_file(number, actor)
            raise
    audit_record(
        actor=actor,
        action="household.member_add",
        target=household,
        name=member.name,
        id=mask_id(number) if number else "",
        relation=member.relation,
    )
    return member


# --- bulk import --------------------------------------------------------------------------
