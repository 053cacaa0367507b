"""不遗漏: per unit (its subtree), the households on file that nobody has yet visited (a
household visit) or paid (a non-cancelled line, by any union) in the campaign, as a list and a
rate. Set-based: two GROUP BY counts and one filtered list, each with EXISTS sub-queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet

from chunfeng.applications.selectors import overdue_filter
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.models import Household, HouseholdStatus

from .models import PaymentLine, Visit, VisitKind


@dataclass
class CoverageRow:
    unit: OrgUnit
    on_file: int = 0
    helped: int = 0
    has_children: bool = False

    @property
    def missing(self) -> int:
        return self.on_file - self.helped

    @property
    def rate(self) -> Decimal | None:
        """Helped / on file, in percent with one decimal; None when nobody is on file."""
        if not self.on_file:
            return None
        return (Decimal(100 * self.helped) / self.on_file).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass
class Coverage:
    root: CoverageRow
    children: list[CoverageRow]
    missing: QuerySet[Household]  # the households not yet reached, by unit and name


def helped_filter(campaign):
    """An expression true for a household visited or paid in ``campaign``."""
    paid = PaymentLine.objects.filter(household=OuterRef("pk"), campaign=campaign, cancelled=False)
    visited = Visit.objects.filter(
        household=OuterRef("pk"), campaign=campaign, kind=VisitKind.HOUSEHOLD
    )
    return Exists(paid) | Exists(visited)


def on_file(unit: OrgUnit) -> QuerySet[Household]:
    return Household.objects.filter(unit__path__startswith=unit.path, status=HouseholdStatus.ACTIVE)


def missing_households(campaign, unit: OrgUnit) -> QuerySet[Household]:
    """Each marked ``review_overdue`` when its yearly review (applications) is overdue."""
    return (
        on_file(unit)
        .filter(~helped_filter(campaign))
        .annotate(review_overdue=overdue_filter())
        .select_related("unit")
        .order_by("unit__path", "name", "id")
    )


def coverage(campaign, unit: OrgUnit) -> Coverage:
    """``unit``'s figures and those of each unit directly below it, each for its subtree."""
    units = {u.pk: u for u in OrgUnit.objects.filter(path__startswith=unit.path)}
    base = on_file(unit)
    totals: dict[int, int] = dict(
        base.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    helped: dict[int, int] = dict(
        base.filter(helped_filter(campaign))
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    by_code = {u.code: pk for pk, u in units.items()}
    rows: dict[int, CoverageRow] = {pk: CoverageRow(unit=u) for pk, u in units.items()}
    counts = defaultdict(lambda: [0, 0])
    for unit_id in set(totals) | set(helped):
        if unit_id in units:
            counts[unit_id] = [totals.get(unit_id, 0), helped.get(unit_id, 0)]
    for unit_id, (total, done) in counts.items():
        for code in units[unit_id].path.strip("/").split("/"):
            if code in by_code:
                row = rows[by_code[code]]
                row.on_file += total
                row.helped += done
    parents = {u.parent_id for u in units.values()}
    children = sorted(
        (r for r in rows.values() if r.unit.parent_id == unit.pk), key=lambda r: r.unit.path
    )
    for r in children:
        r.has_children = r.unit.pk in parents
    return Coverage(
        root=rows[unit.pk], children=children, missing=missing_households(campaign, unit)
    )
