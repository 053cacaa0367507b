"""Scoped reads of cases. A user sees the cases their union's subtree handles or took (a
district that took a call about another district still follows it); a case outside that is
a 404. The figures per unit and period are in ``figures``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chunfeng.core.personal import search_token
from chunfeng.orgunits.encounters import Encounter
from chunfeng.orgunits.models import OrgUnit

from .models import CalendarDay, Case, Extension, ExtensionStatus, Status, TimeLimit


def _placed(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.unit_id is not None)


def in_subtree(unit: OrgUnit) -> Q:
    return Q(unit__path__startswith=unit.path) | Q(intake_unit__path__startswith=unit.path)


def cases_visible_to(user) -> QuerySet[Case]:
    if not _placed(user):
        return Case.objects.none()
    return Case.objects.filter(in_subtree(user.unit)).select_related("unit", "intake_unit")


def case_for(user, pk: int) -> Case:
    try:
        return (
            cases_visible_to(user)
            .select_related("household", "escalated_to", "application__household")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404(_("没有这件工单，或不在您的管辖范围内")) from None


def case_by_number(user, number: str) -> Case:
    try:
        return cases_visible_to(user).get(number=number.strip())
    except Case.DoesNotExist:
        raise Http404(
            _("没有编号为 %(number)s 的工单，或不在您的管辖范围内") % {"number": number}
        ) from None


FILTERS = ("unit", "status", "request_type", "category", "difficulty", "source")


def cases_matching(
    user,
    *,
    unit: OrgUnit | None = None,
    status: str | None = None,
    overdue: bool = False,
    today: dt.date | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    q: str | None = None,
    **choices: str | None,
) -> QuerySet[Case]:
    """The list of the page and the API: the user's cases, or those ``unit``'s subtree
    handles; by status (``open``: not closed), type, category, difficulty, source, overdue
    (open past its limit), received between two days; ``q`` a case number or part of one,
    or part of the caller's name. Newest first."""
    cases = cases_visible_to(user)
    if unit is not None:
        cases = cases.filter(unit__path__startswith=unit.path)
    if status == "open":
        cases = cases.exclude(status=Status.CLOSED)
    elif status:
        cases = cases.filter(status=status)
    for name, value in choices.items():
        if value:
            cases = cases.filter(**{name: value})
    if overdue:
        cases = cases.exclude(status=Status.CLOSED).filter(due__lt=today or dt.date.today())
    if received_from:
        cases = cases.filter(received_at__date__gte=received_from)
    if received_to:
        cases = cases.filter(received_at__date__lte=received_to)
    if q and q.strip():
        text = q.strip()
        cases = cases.filter(Q(number__icontains=text) | Q(caller_name__icontains=text))
    return cases.select_related("escalated_to").order_by("-received_at", "-pk")


# --- possible duplicates (contract d) ------------------------------------------------------


def _open_with(phone: str, id_number: str) -> QuerySet[Case]:
    match = Q(phone_token=search_token("phone", phone)) if phone else Q(pk__in=[])
    if id_number:
        match |= Q(id_token=search_token("id", id_number))
    return Case.objects.exclude(status=Status.CLOSED).filter(match).select_related("unit")


def open_duplicates(case: Case) -> list[Case]:
    """The caller's other open cases, anywhere in the federation."""
    return list(_open_with(case.caller_phone, case.caller_id_number).exclude(pk=case.pk))


def duplicate_notices(actor_unit: OrgUnit, cases) -> list[dict]:
    """What a taker at ``actor_unit`` is told of each possible duplicate: inside the taker's
    subtree the case itself; outside it only that one exists elsewhere, and who will verify."""
    notices = []
    for other in cases:
        encounter = Encounter(actor_unit, other.unit)
        inside = f"{other.number}（{other.unit.name}，{other.get_status_display()}，受理于 {other.received_at:%Y-%m-%d}）"
        text = encounter.for_filler(inside, "该来电人在其他工会另有一件未办结的工单，")
        notices.append({"case": None if encounter.elsewhere else other, "text": text})
    return notices


def possible_duplicates(actor_unit: OrgUnit, phone: str, id_number: str = "") -> list[dict]:
    """At intake, before the case is saved: the caller's open cases, as the taker may see them."""
    return duplicate_notices(actor_unit, _open_with(phone, id_number)[:10])


def pending_extension(case: Case) -> Extension | None:
    return case.extensions.filter(status=ExtensionStatus.PENDING).first()


def extension_for(case: Case, pk: int) -> Extension:
    try:
        return case.extensions.get(pk=pk)
    except Extension.DoesNotExist:
        raise Http404(_("没有这项延期申请")) from None


def duplicates_seen_by(user, case: Case) -> list[dict]:
    """The case's possible duplicates as this user may learn of them (contract d)."""
    if not _placed(user):
        return []
    return duplicate_notices(user.unit, case.duplicates.exclude(status=Status.CLOSED))


def case_entries(case: Case):
    return case.entries.select_related("by", "unit")


def case_aid_lines(case: Case):
    return [a.line for a in case.aid.select_related("line__batch", "line__campaign")]


def transfer_targets(user, case: Case) -> QuerySet[OrgUnit]:
    """Where the user may send the case: active unions of their own subtree, and the union
    above its holder."""
    if not _placed(user):
        return OrgUnit.objects.none()
    down = Q(path__startswith=user.unit.path)
    up = Q(pk=case.unit.parent_id) if case.unit.parent_id else Q(pk__in=[])
    return OrgUnit.objects.filter(down | up, active=True).exclude(pk=case.unit_id)


def unit_by_code(units: QuerySet[OrgUnit], code: str) -> OrgUnit:
    try:
        return units.get(code=code)
    except OrgUnit.DoesNotExist:
        raise Http404(_("没有代码为 %(code)s 的单位，或不在可选范围内") % {"code": code}) from None


def attachment_for(case: Case, pk: int):
    try:
        return case.attachments.get(pk=pk)
    except case.attachments.model.DoesNotExist:
        raise Http404(_("没有这个附件")) from None


def case_attachments(case: Case):
    return case.attachments.select_related("uploaded_by")


def time_limits():
    return TimeLimit.objects.all()


def calendar_days(year: int | None = None):
    days = CalendarDay.objects.all()
    return days.filter(day__year__gte=year) if year else days


def calendar_day_for(pk: int) -> CalendarDay:
    try:
        return CalendarDay.objects.get(pk=pk)
    except CalendarDay.DoesNotExist:
        raise Http404(_("没有这一天的设置")) from None


def time_limit_for(pk: int) -> TimeLimit:
    try:
        return TimeLimit.objects.get(pk=pk)
    except TimeLimit.DoesNotExist:
        raise Http404(_("没有这条办理时限")) from None
