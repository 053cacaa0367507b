"""The 12351 cases as record sets (see ``records``): what each set holds for a unit's subtree
and a period, the fields a definition may filter by, and the quantities it may add up.

- ``cases``: received in the period (附件1 08A: the workers of the rights cases; 08A.2: their
  callers who are 新生代农民工 — a migrant caller of unknown birth year is not counted, and the
  figure says how many there were);
- ``wage_recoveries``: wage-arrears cases closed in the period with money recovered (08C);
- ``cross_region_resolved``: cross-region cases resolved (solved or partly) in the period by a
  help centre — a union at county level or above (附件2 10D)."""

from __future__ import annotations

from django.db.models import QuerySet

from chunfeng.cases.models import Case, Category, Outcome, Status
from chunfeng.orgunits.models import OrgUnit, UnitKind

HELP_CENTRE_KINDS = (UnitKind.CITY, UnitKind.COUNTY)  # 县级以上困难职工帮扶中心


def _held(scope, unit: OrgUnit) -> QuerySet:
    """The cases of ``unit``'s subtree, or of the unit alone for its 本级 (``scope.own``)."""
    if getattr(scope, "own", False):
        return Case.objects.filter(unit=unit)
    return Case.objects.filter(unit__path__startswith=unit.path)


def cases_received(scope, unit: OrgUnit) -> QuerySet:
    return _held(scope, unit).filter(
        received_at__date__gte=scope.start, received_at__date__lte=scope.end
    )


def _closed_in(scope, unit: OrgUnit) -> QuerySet:
    return _held(scope, unit).filter(
        status=Status.CLOSED, closed_at__date__gte=scope.start, closed_at__date__lte=scope.end
    )


def wage_recoveries(scope, unit: OrgUnit) -> QuerySet:
    return _closed_in(scope, unit).filter(category=Category.WAGES, recovered__gt=0)


def cross_region_resolved(scope, unit: OrgUnit) -> QuerySet:
    return _closed_in(scope, unit).filter(
        cross_region=True,
        outcome__in=(Outcome.SOLVED, Outcome.PARTLY),
        closed_by_unit__kind__in=HELP_CENTRE_KINDS,
    )


def any_case(scope, unit: OrgUnit) -> QuerySet:
    return _held(scope, unit)


PEOPLE = {
    "caller_is_migrant": "caller_is_migrant",
    "caller_new_generation": "caller_new_generation",
    "involves_migrants": "involves_migrants",
}
MATTER = {
    "request_type": "request_type",
    "category": "category",
    "source": "source",
    "is_rights": "is_rights",
    "cross_region": "cross_region",
    "status": "status",
    "outcome": "outcome",
}
# fields whose records may not know the answer (None): such records are counted apart
UNKNOWN = {"caller_new_generation": "来电农民工出生年份不详"}
# name in a definition → (ORM field, is money in 元)
QUANTITIES = {
    "workers": ("workers", False),
    "migrants": ("migrants", False),
    "recovered": ("recovered", True),
    "amount_involved": ("amount_involved", True),
}
