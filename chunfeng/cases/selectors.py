"""Scoped reads of cases. A user sees the cases their union's subtree handles or took (a
district that took a call about another district still follows it); a case outside that is
a 404. The figures per unit and period are in ``figures``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from chunfeng.core.personal import search_token
from chunfeng.orgunits.encounters import Encounter
from chunfeng.orgunits.models import OrgUnit

from .models import Case, Extension, ExtensionStatus, Status


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
        return cases_visible_to(user).select_related("household", "escalated_to").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("没有这件工单，或不在您的管辖范围内") from None


def case_by_number(user, number: str) -> Case:
    try:
        return cases_visible_to(user).get(number=number.strip())
    except Case.DoesNotExist:
        raise Http404(f"没有编号为 {number} 的工单，或不在您的管辖范围内") from None


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
    return cases.order_by("-received_at", "-pk")


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
        raise Http404("没有这项延期申请") from None
