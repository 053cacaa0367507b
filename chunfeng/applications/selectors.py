"""Reads of applications, standards and file reviews, scoped to the user's subtree."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.errors import NotPermitted
from chunfeng.core.rules import (
    can_act_as_help_centre,
    can_handle_application,
    can_set_standards,
)
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import units_visible_to
from chunfeng.register.models import Household, HouseholdStatus

from .models import Application, Document, FileState, Standard, Status

WAITING_ABOVE = (Status.VISITED, Status.REVIEWED, Status.VERIFIED, Status.NOTICE)


def applications_visible_to(user) -> QuerySet[Application]:
    return Application.objects.filter(unit__in=units_visible_to(user)).select_related("unit")


def application_for(user, pk: int) -> Application:
    found = (
        applications_visible_to(user)
        .select_related("standard", "household")
        .prefetch_related("members", "documents", "objections", "steps__actor")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("没有这份申请"))
    return found


def applications_filtered(user, *, status: str = "", unit_code: str = "") -> QuerySet:
    found = applications_visible_to(user)
    if status in Status.values:
        found = found.filter(status=status)
    if unit_code:
        found = found.filter(unit__path__contains=unit_code)
    return found.order_by("-created_at", "-id")


def to_do(user, applications: list[Application]) -> list[Application]:
    """The applications waiting for this user's step."""
    out = []
    for a in applications:
        above = a.status in WAITING_ABOVE
        if above and can_act_as_help_centre(user, a.unit):
            out.append(a)
        elif not above and a.status != Status.APPROVED and can_handle_application(user, a.unit):
            out.append(a)
    return out


def document_for(user, application_pk: int, pk: int) -> Document:
    """A document of an application, for the grassroots union that handles it and the help
    centre above (404 outside the user's subtree, NotPermitted for another role)."""
    application = application_for(user, application_pk)
    found = application.documents.filter(pk=pk).first()
    if found is None:
        raise Http404(_("没有这份材料"))
    unit = application.unit
    if not (can_handle_application(user, unit) or can_act_as_help_centre(user, unit)):
        raise NotPermitted(_("您的角色不能查看申请材料"))
    return found


def standards_visible_to(user) -> QuerySet[Standard]:
    return Standard.objects.select_related("set_by").order_by("region_code", "-effective_from")


def reviews_due(user, on: dt.date | None = None, within: int = 30) -> QuerySet[FileState]:
    """Files kept in the user's subtree whose yearly review is due within ``within`` days or
    overdue, earliest first."""
    on = min(on or timezone.localdate(), dt.date.max - dt.timedelta(days=within))
    return (
        FileState.objects.filter(
            household__unit__in=units_visible_to(user),
            household__status=HouseholdStatus.ACTIVE,
            review_due__lte=on + dt.timedelta(days=within),
        )
        .select_related("household__unit")
        .order_by("review_due", "household_id")
    )


def reviews_due_by_unit(user, on: dt.date | None = None) -> list[dict]:
    """Per keeping unit: files due (within 30 days) and overdue on ``on``."""
    on = on or timezone.localdate()
    due: Counter = Counter()
    overdue: Counter = Counter()
    units = {}
    for state in reviews_due(user, on):
        unit = state.household.unit
        units[unit.pk] = unit
        late = state.review_due is not None and state.review_due < on
        (overdue if late else due)[unit.pk] += 1
    return [
        {"unit": units[pk], "due": due[pk], "overdue": overdue[pk]}
        for pk in sorted(units, key=lambda k: units[k].path)
    ]


def overdue_household_ids(household_ids, on: dt.date | None = None) -> set[int]:
    """Of these households, those on file whose yearly review date has passed (the register,
    the coverage list and the payments mark or warn)."""
    on = on or timezone.localdate()
    return set(
        FileState.objects.filter(
            household_id__in=list(household_ids),
            household__status=HouseholdStatus.ACTIVE,
            review_due__lt=on,
        ).values_list("household_id", flat=True)
    )


def overdue_count(user, on: dt.date | None = None) -> int:
    """Files kept in the user's subtree whose yearly review is overdue."""
    return reviews_due(user, on, within=0).filter(review_due__lt=on or timezone.localdate()).count()


def overdue_reviews_in(root: OrgUnit, on: dt.date | None = None) -> int:
    """Files kept in ``root``'s subtree whose yearly review is overdue (the dashboards; one
    query by path, however many units)."""
    return FileState.objects.filter(
        household__unit__path__startswith=root.path,
        household__status=HouseholdStatus.ACTIVE,
        review_due__lt=on or timezone.localdate(),
    ).count()


def overdue_filter(on: dt.date | None = None):
    """An expression true for a household whose yearly review is overdue (for annotations)."""
    return Exists(
        FileState.objects.filter(
            household=OuterRef("pk"), review_due__lt=on or timezone.localdate()
        )
    )


def file_state_of(household: Household) -> FileState | None:
    return FileState.objects.filter(household=household).select_related("application").first()


def regions() -> list[tuple[str, str]]:
    """The districts and cities of the tree by their region codes (six digits)."""
    found = OrgUnit.objects.filter(active=True, code__regex=r"^[0-9]{6}$").order_by("code")
    return [(code, name.removesuffix("总工会")) for code, name in found.values_list("code", "name")]


def units_applying_for(user) -> QuerySet[OrgUnit]:
    """The unions the user may file an application at (their own subtree, if they keep records)."""
    if not getattr(user, "unit_id", None) or not can_handle_application(user, user.unit):
        return OrgUnit.objects.none()
    return units_visible_to(user).filter(active=True).order_by("path")


def standard_units(user) -> list[OrgUnit]:
    if not getattr(user, "unit_id", None) or not can_set_standards(user, user.unit):
        return []
    return list(units_visible_to(user).filter(active=True, code__regex=r"^[0-9]{6}$"))


def objection_for(application: Application, pk: int):
    found = application.objections.filter(pk=pk).first()
    if found is None:
        raise Http404(_("没有这条异议"))
    return found
