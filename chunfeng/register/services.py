"""Writes to the hardship households register. 一户一档 is enforced here with a clear message
naming the union that already holds a person's file, and in the database by a constraint."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import mask_bank, mask_id, mask_phone
from chunfeng.core.rules import can_edit_households

from .models import Household, HouseholdStatus, IdAccess, Member, Person
from .validation import clean_household


def id_access_log(*, user, purpose: str, household=None, count: int = 1) -> None:
    IdAccess.objects.create(
        user=user_or_none(user), household=household, purpose=purpose, count=count
    )


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


def _field_error(field: str, message: str):
    raise ApplicationError(message, code="invalid", details=[{"field": field, "message": message}])


def holder_of(id_number: str) -> Person | None:
    return (
        Person.objects.select_related("household__unit")
        .filter(id_number=id_number, active=True)
        .first()
    )


def second_file_message(id_number: str, unit) -> str:
    """一户一档: the refusal of a second file, naming the union that holds the first."""
    return (
        f"身份证号码 {mask_id(id_number)} 已在{unit.name}（{unit.code}）建档，"
        "一户一档，不能重复建档"
    )


def _refuse_second_file(id_number: str) -> None:
    holder = holder_of(id_number)
    if holder is not None:
        _field_error("id_number", second_file_message(id_number, holder.household.unit))


@transaction.atomic
def household_create(
    *, unit, data: dict, actor, members: tuple[dict, ...] | list[dict] = ()
) -> Household:
    if not can_edit_households(actor, unit):
        raise NotPermitted(f"您不能为{unit.name}建立困难职工档案")
    if not unit.active:
        raise ApplicationError(f"{unit.name}已撤销，不能再建档", code="retired_unit")
    fields = clean_household_data(data)
    _refuse_second_file(fields["id_number"])
    household = Household.objects.create(unit=unit, created_by=user_or_none(actor), **fields)
    persons = [Person(id_number=household.id_number, household=household, is_worker=True)]
    for m in members:
        member = _member(household, m)
        if member.id_number:
            _refuse_second_file(member.id_number)
            persons.append(Person(id_number=member.id_number, household=household, is_worker=False))
    try:
        with transaction.atomic():
            Person.objects.bulk_create(persons)
    except IntegrityError:  # a concurrent file for the same person won the race
        _refuse_second_file(fields["id_number"])
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
            _field_error("members", f"家庭成员 {data.get('name', '')}：{exc}")
    return Member.objects.create(
        household=household,
        name=str(data.get("name", ""))[:64],
        id_number=number,
        relation=str(data.get("relation", ""))[:16],
    )


@transaction.atomic
def household_update(*, household: Household, data: dict, actor) -> Household:
    if not can_edit_households(actor, household.unit):
        raise NotPermitted("您不能修改这份档案")
    fields = clean_household_data({**_current(household), **data})
    if fields["id_number"] != household.id_number:
        _field_error(
            "id_number", "身份证号码建档后不能修改；如确有错误，请将本档案标为脱困并重新建档"
        )
    changes = {
        k: [_as_logged(k, getattr(household, k)), _as_logged(k, v)]
        for k, v in fields.items()
        if getattr(household, k) != v
    }
    for key, value in fields.items():
        setattr(household, key, value)
    household.save()
    audit_record(actor=actor, action="household.update", target=household, changes=changes)
    return household


# personal numbers in the history are masked: it is append-only and outlives the file
_LOGGED_MASKED = {"phone": mask_phone, "bank_account": mask_bank}


def _as_logged(field: str, value) -> str:
    mask = _LOGGED_MASKED.get(field)
    return mask(value) if mask else str(value)


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
        raise NotPermitted("您不能修改这份档案")
    if household.status != HouseholdStatus.ACTIVE:
        raise ApplicationError("这份档案已经是脱困状态", code="bad_status")
    if not reason.strip():
        _field_error("escaped_reason", "请填写脱困原因")
    household.status, household.escaped_on = HouseholdStatus.ESCAPED, on
    household.escaped_reason = reason.strip()[:200]
    household.save(update_fields=["status", "escaped_on", "escaped_reason"])
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
        raise NotPermitted("您不能修改这份档案")
    if household.status != HouseholdStatus.ACTIVE:
        raise ApplicationError("已脱困的档案不能再添加家庭成员", code="bad_status")
    name = str(data.get("name") or "").strip()
    if not name:
        _field_error("name", "家庭成员的姓名不能为空")
    number = ""
    if str(data.get("id_number") or "").strip():
        try:
            number = parse_id(data["id_number"]).number
        except InvalidIdNumber as exc:
            _field_error("id_number", str(exc))
        if number == household.id_number:
            _field_error("id_number", "家庭成员的身份证号码与户主相同")
        _refuse_second_file(number)
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
            _refuse_second_file(number)
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
