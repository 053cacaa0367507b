"""Whom a payment line or a visit names, and when money may be paid.

A hardship household is found on file (一户一档) in the actor's subtree; every other kind — a
劳模 or 先进 not in hardship, a 一线职工 or 农民工 on duty, another worker — is named by a valid
resident ID and a name, and refused when the number has an active file (then it is a hardship
household, counted as one); an enterprise is named by its unified social credit code. Which
blanks of 附件1 each kind reaches is ``docs/real-name-aid.md``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chunfeng.core.idnumbers import InvalidIdNumber, clean_uscc, parse_id
from chunfeng.core.personal import mask_id
from chunfeng.register.models import Household, HouseholdStatus, Person

from .models import ON_FILE, Recipient
from .parsing import choice, clip, invalid


@dataclass
class Named:
    recipient: str
    id_number: str
    name: str
    household: Household | None = None


def household_on_file(actor, number: str) -> Household:
    """The active file of ``number`` within the actor's subtree, or a message saying why not."""
    household = (
        Household.objects.filter(
            id_number=number, status=HouseholdStatus.ACTIVE, unit__path__startswith=actor.unit.path
        )
        .select_related("unit")
        .first()
    )
    if household is not None:
        return household
    if Household.objects.filter(id_number=number, unit__path__startswith=actor.unit.path).exists():
        raise ValueError(
            _("身份证号码 %(id)s 的档案已脱困，不在档，不能发放") % {"id": mask_id(number)}
        )
    member = Person.objects.filter(id_number=number, active=True, is_worker=False).first()
    if member is not None and member.household.unit.is_within(actor.unit):
        raise ValueError(
            f"身份证号码 {mask_id(number)} 是{member.household.name}家的家庭成员，"
            "请填写户主（困难职工本人）的身份证号码"
        )
    raise ValueError(
        f"身份证号码 {mask_id(number)} 未在您的管辖范围内建立困难职工档案，"
        "请先建档（一户一档）再发放；劳模先进、一线职工等请选择相应的发放对象"
    )


def recipient_named(
    actor, *, recipient, number, name="", household: Household | None = None, prefix: str = ""
) -> Named:
    """The recipient a line or visit names; an ``ApplicationError`` naming the field
    (``{prefix}id_number``, ``{prefix}name``, ``{prefix}recipient``) otherwise."""
    try:
        kind = choice(recipient, Recipient, "发放对象", default=Recipient.HOUSEHOLD)
    except ValueError as exc:
        invalid(f"{prefix}recipient", str(exc))
    if kind == Recipient.ENTERPRISE:
        return _enterprise(number, name, prefix)
    try:
        number = parse_id(number).number
    except InvalidIdNumber as exc:
        invalid(f"{prefix}id_number", str(exc))
    if kind in ON_FILE:
        return _on_file(actor, kind, number, household, prefix)
    if Household.objects.filter(id_number=number, status=HouseholdStatus.ACTIVE).exists():
        invalid(
            f"{prefix}id_number",
            f"身份证号码 {mask_id(number)} 已建立困难职工档案：请按“困难职工家庭”或"
            "“困难劳模”发放，以免统计遗漏或重复",
        )
    name = clip(name, 64)
    if not name:
        invalid(f"{prefix}name", "请填写姓名")
    return Named(kind, number, name)


def _on_file(actor, kind: str, number: str, household, prefix: str) -> Named:
    try:
        household = household or household_on_file(actor, number)
    except ValueError as exc:
        invalid(f"{prefix}id_number", str(exc))
    if kind == Recipient.HARDSHIP_MODEL and not household.is_model_worker:
        invalid(
            f"{prefix}recipient",
            f"{household.name}（{mask_id(number)}）的档案未标为劳模："
            "请按“困难职工家庭”发放，或先在档案中标明劳模",
        )
    return Named(kind, household.id_number, household.name, household)


def _enterprise(code, name, prefix: str) -> Named:
    try:
        code = clean_uscc(code)
    except ValueError as exc:
        invalid(f"{prefix}id_number", str(exc))
    name = clip(name, 64)
    if not name:
        invalid(f"{prefix}name", "请填写企业名称")
    return Named(Recipient.ENTERPRISE, code, name)


def require_in_period(campaign, day: dt.date, field: str, label: str = "发放日期") -> None:
    """Nothing retained: money is paid within the campaign's activity period (the seed: 2011年
    12月20日至2012年春节前), never after it."""
    if campaign.period_start <= day <= campaign.period_end:
        return
    invalid(
        field,
        f"{label} {day.isoformat()} 不在活动期间（{campaign.period_start.isoformat()} 至 "
        f"{campaign.period_end.isoformat()}，春节是 {campaign.spring_festival.isoformat()}）内，"
        "不能登记",
    )
