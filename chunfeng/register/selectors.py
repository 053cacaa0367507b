from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import is_search_token, mask_id, search_token
from chunfeng.core.rules import can_edit_households, can_see_full_ids
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import unit_for, units_visible_to

from .access import id_access_log
from .models import ChangeStatus, Household, HouseholdStatus, PendingChange


def households_visible_to(user) -> QuerySet[Household]:
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Household.objects.none()
    return Household.objects.filter(unit__path__startswith=user.unit.path).select_related("unit")


def household_for(user, pk: int) -> Household:
    try:
        return households_visible_to(user).get(pk=pk)
    except Household.DoesNotExist:
        raise Http404(_("没有这份档案，或不在您的管辖范围内")) from None


def full_id_number(text: str | None) -> str | None:
    """The normalised number when ``text`` is a whole, valid ID number (an exact search)."""
    text = (text or "").strip()
    if len(text) < 15:
        return None
    try:
        return parse_id(text).number
    except InvalidIdNumber:
        return None


def households_matching(
    user,
    *,
    unit: OrgUnit | None = None,
    status: str | None = None,
    category: str | None = None,
    q: str | None = None,
    id_token: str | None = None,
) -> QuerySet[Household]:
    """The register list of the page and the API: the user's subtree, or ``unit``'s (with its
    subtree), by status and category; ``id_token`` is the search token of an ID number
    (contract (b)); ``q`` is a full ID number (exact) or part of a name. Newest first."""
    households = households_visible_to(user)
    if id_token is not None:
        households = households.filter(id_token=id_token if is_search_token(id_token) else "-")
    if unit is not None:
        households = households.filter(unit__path__startswith=unit.path)
    if status:
        households = households.filter(status=status)
    if category:
        households = households.filter(category=category)
    number = full_id_number(q)
    if number:
        households = households.filter(id_number=number)
    elif q and q.strip():
        households = households.filter(name__icontains=q.strip())
    return households.order_by("-pk")


LIST_FILTERS = ("q", "status", "category", "unit", "id_token")


def households_listed(user, params: dict) -> tuple[OrgUnit | None, QuerySet[Household]]:
    """The register list as the page (and its export) filter it by ``params`` (the keys of
    ``LIST_FILTERS``, text): the scope (the chosen unit, or None for the user's subtree; a unit
    outside it is 404) and the households."""
    chosen = unit_for(user, params["unit"]) if params.get("unit") else None
    households = households_matching(
        user,
        unit=chosen,
        status=params.get("status") if params.get("status") in HouseholdStatus.values else None,
        category=params.get("category") or None,
        q=params.get("q", ""),
        id_token=params.get("id_token") or None,
    )
    return chosen, households


def shown_id(user, household: Household, *, reveal: bool = False, purpose: str = "view") -> str:
    """The ID number as this user may see it. A full view is logged with ``purpose``."""
    if reveal and can_see_full_ids(user, household.unit):
        id_access_log(user=user, household=household, purpose=purpose)
        return household.id_number
    return mask_id(household.id_number)


def editable_unit_of(user, code: str) -> OrgUnit | None:
    return editable_units(user).filter(code=code).first()


def editable_units(user) -> QuerySet[OrgUnit]:
    """Active units where the user may keep files: their subtree, if their role writes."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return OrgUnit.objects.none()
    if not can_edit_households(user, user.unit):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=user.unit.path, active=True)


def active_household_of(user, id_number: str) -> Household | None:
    """The active file of ``id_number`` within the user's subtree."""
    return households_visible_to(user).filter(id_number=id_number, status="active").first()


def id_token_of(text: str | None) -> str | None:
    """The search token of ``text`` when it is a whole, valid ID number."""
    number = full_id_number(text)
    return search_token("id", number) if number else None


# --- changes waiting for a reviewer -------------------------------------------------------------


def pending_changes_of(household: Household) -> QuerySet[PendingChange]:
    return household.changes.filter(status=ChangeStatus.PENDING).select_related("requested_by")


def with_pending(households: QuerySet[Household]) -> QuerySet[Household]:
    """Each household with its changes waiting for a reviewer as ``waiting`` (one query)."""
    waiting = PendingChange.objects.filter(status=ChangeStatus.PENDING).select_related(
        "requested_by"
    )
    return households.prefetch_related(Prefetch("changes", queryset=waiting, to_attr="waiting"))


def changes_visible_to(user) -> QuerySet[PendingChange]:
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return PendingChange.objects.none()
    return PendingChange.objects.filter(
        household__unit__path__startswith=user.unit.path
    ).select_related("household__unit", "requested_by", "decided_by")


def change_for(user, pk: int) -> PendingChange:
    try:
        return changes_visible_to(user).get(pk=pk)
    except PendingChange.DoesNotExist:
        raise Http404(_("没有这项变更申请，或不在您的管辖范围内")) from None


def changes_waiting(user) -> QuerySet[PendingChange]:
    """The changes waiting for a reviewer in the user's subtree, oldest first."""
    return changes_visible_to(user).filter(status=ChangeStatus.PENDING).order_by("requested_at")


@dataclass
class KeysetPage:
    """A page of the register list, newest first, found by the last ``pk`` seen instead of an
    offset: page 10,000 costs what page 1 costs (an index range on the primary key).
    ``older`` / ``newer`` are the ``before`` / ``after`` values of the neighbouring pages."""

    object_list: list[Household]
    older: int | None
    newer: int | None
    count: int
    capped: bool = False  # there are more than ``count`` (the count stopped at its cap)

    def __iter__(self):
        return iter(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.older is not None or self.newer is not None


def keyset_page(
    households: QuerySet[Household],
    *,
    size: int,
    before: int | None = None,
    after: int | None = None,
    cap: int | None = None,
) -> KeysetPage:
    """``households`` (ordered ``-pk``): the ``size`` just older than ``before``, or just newer
    than ``after``, or the newest. Two queries: the page (one row more, to know whether there
    is another) and the count. With ``cap`` the count stops after ``cap`` + 1 files (a
    ``LIMIT`` in a subquery): a province's list does not pay for counting a million files on
    every page; ``capped`` says there are more than ``count``."""
    total, capped = count_capped(households, cap)
    if after is not None:
        rows = list(households.filter(pk__gt=after).order_by("pk")[: size + 1])
        more, rows = len(rows) > size, rows[:size][::-1]
        newer = rows[0].pk if more and rows else None
        older = rows[-1].pk if rows else None
    else:
        older_ones = households.filter(pk__lt=before) if before is not None else households
        rows = list(older_ones.order_by("-pk")[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        older = rows[-1].pk if more else None
        newer = rows[0].pk if before is not None and rows else None
    return KeysetPage(rows, older, newer, total, capped)


def count_capped(households: QuerySet[Household], cap: int | None) -> tuple[int, bool]:
    """The number of ``households``, or ``(cap, True)`` when there are more than ``cap``:
    ``SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)``, which stops reading there."""
    if cap is None:
        return households.count(), False
    found = households.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


FILTER_LEVELS = 2  # levels below the user's unit that the list's unit filter offers


def filter_units(user, chosen: OrgUnit | None = None) -> list[OrgUnit]:
    """The units the register list's unit filter offers: the user's own and two levels below
    it, and the one chosen. A province has tens of thousands of grassroots unions: a list of
    them all would make every page of the register heavy, and nobody could pick from it."""
    units = units_visible_to(user)
    if user.unit_id is not None:
        units = units.filter(depth__lte=user.unit.depth + FILTER_LEVELS)
    found = list(units.order_by("path"))
    if chosen is not None and all(u.pk != chosen.pk for u in found):
        found.append(chosen)
    return found
