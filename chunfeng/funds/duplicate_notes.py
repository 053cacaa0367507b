"""What a user is told of duplicate payments — a flag's message, the notes beside the ID field
before a line is saved — as that user may read it (contract (d)): the details (name, amount,
batch, union) when the other payment lies in the user's subtree; otherwise only that such a
payment exists elsewhere and which reviewers will decide — those of the nearest unit above both,
who see both sides and resolve the flag."""

from __future__ import annotations

from django.db.models import Q

from chunfeng.applications.selectors import overdue_household_ids
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import mask_id
from chunfeng.orgunits.encounters import Encounter
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.selectors import active_household_of

from .duplicates import candidates
from .models import ON_FILE, DuplicateFlag, FlagKind, PaymentKind, PaymentLine
from .selectors import root_of

# ---- what the user is told ------------------------------------------------------------------


def _paid(line: PaymentLine) -> str:
    what = "现金" if line.kind == PaymentKind.CASH else f"实物（{line.goods or '物品'}）"
    return f"{what} {line.amount:,.2f} 元（{line.get_aid_type_display()}）"


def viewer_unit(viewer) -> OrgUnit | None:
    """The unit whose subtree a user may see in full; None for the system (sees everything)."""
    return viewer.unit if getattr(viewer, "unit_id", None) else None


def flag_message(flag: DuplicateFlag, viewer=None) -> str:
    """“该户已由西岗区总工会于 2012-01-05 发放 现金 500.00 元（慰问金）…” (IDs masked), as
    ``viewer`` (a user; None for the system) may read it: a side of the pair kept outside the
    viewer's subtree is only said to exist, with the reviewers who decide."""
    line, other = flag.line, flag.other
    unit = viewer_unit(viewer)
    if unit is not None:
        if Encounter(unit, other.unit).elsewhere:
            return Encounter(unit, other.unit).for_filler("", _elsewhere(flag, line))
        if Encounter(unit, line.unit).elsewhere:
            return Encounter(unit, line.unit).for_filler("", _elsewhere(flag, other))
    who = "本单位" if other.unit_id == line.unit_id else other.unit.name
    when = f"于 {other.paid_on.isoformat()} 在批次“{other.batch.name}”中发放 {_paid(other)}"
    if flag.kind == FlagKind.EXACT:
        return (
            f"{line.name}（{mask_id(line.id_number)}）：该户已由{who}{when}，同一活动内重复发放。"
        )
    reason = "姓名和出生日期相同" if flag.kind == FlagKind.NAME_BIRTH else "联系电话相同"
    return (
        f"{line.name}（{mask_id(line.id_number)}）：疑似重复——{who}{when}给 {other.name}"
        f"（{mask_id(other.id_number)}），{reason}。"
    )


def _elsewhere(flag: DuplicateFlag, mine: PaymentLine) -> str:
    """The flag seen from the side of ``mine``: the other payment only said to exist."""
    head = f"{mine.name}（{mask_id(mine.id_number)}）："
    if flag.kind == FlagKind.EXACT:
        return f"{head}该户在本活动中也由其他单位发放过，同一活动内重复发放，"
    reason = "姓名和出生日期相同" if flag.kind == FlagKind.NAME_BIRTH else "联系电话相同"
    return f"{head}疑似重复——其他单位在本活动中的一笔发放与此{reason}，"


def flags_with_messages(flags: list[DuplicateFlag], viewer=None) -> list[str]:
    ids = [f.pk for f in flags]
    loaded = DuplicateFlag.objects.filter(pk__in=ids).select_related(
        "line__unit", "other__unit", "other__batch"
    )
    return [flag_message(f, viewer) for f in sorted(loaded, key=lambda f: (f.line_id, f.pk))]


def shows_both_sides(flag: DuplicateFlag, viewer) -> bool:
    """Whether ``viewer``'s subtree holds both lines of the flag (the details may be shown)."""
    unit = viewer_unit(viewer)
    return unit is None or (flag.line.unit.is_within(unit) and flag.other.unit.is_within(unit))


# ---- before a line is saved -----------------------------------------------------------------


def duplicates_preview(*, campaign, unit: OrgUnit, household, viewer=None) -> list[str]:
    """What paying ``household`` from ``unit`` would be flagged against, said before the line
    is saved: earlier non-cancelled payments of the campaign to the same ID number, or to
    someone with the same name and birth date or the same phone (IDs masked). A payment made
    outside ``viewer``'s subtree is only said to exist (contract (d))."""
    base = candidates(campaign.pk, root_of(unit)).select_related("unit", "batch")
    same = Q(id_number=household.id_number)
    similar = Q(household__name=household.name, household__birth_date=household.birth_date)
    if household.phone:
        similar |= Q(household__phone=household.phone)
    mine = viewer_unit(viewer)
    messages: list[str] = []
    for other in base.filter(same | similar).order_by("paid_on", "pk")[:20]:
        exact = other.id_number == household.id_number
        if mine is not None and Encounter(mine, other.unit).elsewhere:
            text = Encounter(mine, other.unit).for_filler("", _preview_elsewhere(household, exact))
        else:
            text = _preview_inside(household, other, unit, exact)
        if text not in messages:
            messages.append(text)
    return messages


def _preview_inside(household, other: PaymentLine, unit: OrgUnit, exact: bool) -> str:
    who = "本单位" if other.unit_id == unit.pk else other.unit.name
    paid = f"{who}已于 {other.paid_on.isoformat()} 发放 {_paid(other)}"
    if exact:
        return (
            f"注意：{household.name}（{mask_id(household.id_number)}）{paid}，"
            "再发放将被标记为重复发放。"
        )
    return (
        f"疑似重复：{paid}给 {other.name}（{mask_id(other.id_number)}），"
        "姓名和出生日期或联系电话与本户相同。"
    )


def _preview_elsewhere(household, exact: bool) -> str:
    if exact:
        return (
            f"注意：{household.name}（{mask_id(household.id_number)}）在本活动中已由其他单位"
            "发放过，再发放将被标记为重复发放，"
        )
    return (
        "疑似重复：其他单位在本活动中向姓名和出生日期或联系电话与本户相同的人发放过，"
        "再发放将被标记，"
    )


def precheck_notes(user, batch, raw: str, recipient: str = "") -> tuple[list[str], str, object]:
    """What the ID field of a new line says as it is typed: ``(notes, level, household)`` —
    an error while the number is not a valid one of a family on file in the user's subtree,
    else what paying that family would be flagged against. A recipient not on file (a 劳模, a
    worker, an enterprise) is checked when the line is saved; its flags say the rest."""
    if recipient and recipient not in ON_FILE:
        return [], "", None
    try:
        number = parse_id(raw).number
    except InvalidIdNumber as exc:
        return ([str(exc)] if len(raw.strip()) >= 15 else []), "error", None
    household = active_household_of(user, number)
    if household is None:
        return [f"{mask_id(number)} 不在您管辖范围内的在档困难职工中，请先建档。"], "error", None
    notes = duplicates_preview(
        campaign=batch.campaign, unit=batch.unit, household=household, viewer=user
    )
    if overdue_household_ids([household.pk]):
        notes.append(f"注意：{household.name} 的档案年度复核已逾期，请先复核确认仍属困难职工。")
    return notes, "warning", household
