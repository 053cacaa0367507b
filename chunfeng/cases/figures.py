"""Figures of the cases of a unit's subtree received in a period (the figures page and the
API): by type, category and status, the on-time rate of those closed, those overdue, the
satisfaction of those visited, and the money recovered for workers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from chunfeng.orgunits.models import OrgUnit

from .models import Case, Category, RequestType, Satisfaction, Status


def _rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CaseFigures:
    unit: OrgUnit
    start: dt.date
    end: dt.date
    total: int = 0
    by_type: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count
    by_category: list[tuple[str, str, int]] = field(default_factory=list)
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    closed: int = 0
    on_time: int = 0
    overdue: int = 0  # open past the limit today, or closed late
    visited: int = 0
    satisfied: int = 0  # satisfied or basically satisfied
    recovered: Decimal = Decimal("0.00")
    workers: int = 0
    cross_region: int = 0
    birth_year_unknown: int = 0  # migrant callers of unknown birth year (not 新生代-judged)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.closed)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _rate(self.satisfied, self.visited)


def _grouped(rows, name: str, choices) -> list[tuple[str, str, int]]:
    counts = dict(rows.values_list(name).annotate(n=Count("pk")).order_by())
    return [(value, str(label), counts.get(value, 0)) for value, label in choices.choices]


def case_figures(unit: OrgUnit, start: dt.date, end: dt.date, today: dt.date) -> CaseFigures:
    rows = Case.objects.filter(
        unit__path__startswith=unit.path,
        received_at__date__gte=start,
        received_at__date__lte=end,
    )
    satisfied = (Satisfaction.SATISFIED, Satisfaction.BASIC)
    totals = rows.aggregate(
        n_total=Count("pk"),
        n_closed=Count("pk", filter=Q(status=Status.CLOSED)),
        n_on_time=Count("pk", filter=Q(status=Status.CLOSED, on_time=True)),
        n_late=Count("pk", filter=Q(status=Status.CLOSED, on_time=False)),
        n_open_late=Count("pk", filter=~Q(status=Status.CLOSED) & Q(due__lt=today)),
        n_visited=Count("pk", filter=~Q(satisfaction="")),
        n_satisfied=Count("pk", filter=Q(satisfaction__in=satisfied)),
        n_recovered=Sum("recovered"),
        n_workers=Sum("workers"),
        n_cross=Count("pk", filter=Q(cross_region=True)),
        n_unknown=Count("pk", filter=Q(caller_is_migrant=True, caller_new_generation=None)),
    )
    return CaseFigures(
        unit=unit,
        start=start,
        end=end,
        total=totals["n_total"],
        by_type=_grouped(rows, "request_type", RequestType),
        by_category=_grouped(rows, "category", Category),
        by_status=_grouped(rows, "status", Status),
        closed=totals["n_closed"],
        on_time=totals["n_on_time"],
        overdue=totals["n_late"] + totals["n_open_late"],
        visited=totals["n_visited"],
        satisfied=totals["n_satisfied"],
        recovered=Decimal(totals["n_recovered"] or 0).quantize(Decimal("0.01")),
        workers=totals["n_workers"] or 0,
        cross_region=totals["n_cross"],
        birth_year_unknown=totals["n_unknown"],
    )
