"""Each reporting unit's figures behind a 汇总, for the views that show them: the unit-by-blank
table (a page at a time, sorted by the database), the drill-down of one blank, the exports and
the API's lists (streamed). Each is a fixed number of queries, whatever the number of units;
the totals themselves never come through here (``selectors.summary_for`` sums in SQL)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import F, Func, OuterRef, QuerySet, Subquery

from chunfeng.formdefs.schema import FormDefinition
from chunfeng.formdefs.values import DECIMALS
from chunfeng.orgunits.models import OrgUnit
from chunfeng.reports.models import Report, ReportKind, ReportValue

if TYPE_CHECKING:  # the Summary is made by the selectors, which read the values through here
    from .selectors import Summary

PAGE_SIZE = 100  # units per page of the unit-by-blank table
CHUNK = 2000  # rows read at a time by a stream

Figures = dict[str, int | Decimal | bool]


class PathOrder(Func):
    """A unit's path in byte order, where a descendant follows its ancestor (PostgreSQL's
    collation of the database may ignore the slashes; SQLite compares bytes already)."""

    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template='%(expressions)s COLLATE "C"', **extra)


def typed(btype: str, value: Decimal) -> int | Decimal | bool:
    """A stored value in its blank's type (a unit's yes/no answer reads as a bool)."""
    if btype == "count":
        return int(value)
    if btype == "yesno":
        return bool(value)
    return value.quantize(Decimal(1).scaleb(-DECIMALS[btype]))


def _figures(definition: FormDefinition, pairs) -> Figures:
    blanks = definition.blanks
    return {code: typed(blanks[code].type, value) for code, value in pairs if code in blanks}


def _values_of(reports: QuerySet[Report]) -> QuerySet[ReportValue]:
    return ReportValue.objects.filter(report__in=reports.values("pk"))


class UnitValues(Mapping):
    """Unit code → its typed figures, every included unit at once, read on first use (two
    queries). For a view over a few units or the on-demand comparisons; a view over all of
    them streams instead (``unit_rows``)."""

    def __init__(self, definition: FormDefinition, reports: QuerySet[Report]):
        self._definition, self._reports = definition, reports
        self._data: dict[str, Figures] | None = None

    def _load(self) -> dict[str, Figures]:
        if self._data is None:
            codes = self._reports.values_list("unit__code", flat=True)
            data: dict[str, list] = {code: [] for code in codes.iterator(chunk_size=CHUNK)}
            rows = _values_of(self._reports).values_list("report__unit__code", "code", "value")
            for unit_code, code, value in rows.iterator(chunk_size=CHUNK):
                data[unit_code].append((code, value))
            self._data = {unit: _figures(self._definition, pairs) for unit, pairs in data.items()}
        return self._data

    def __getitem__(self, code: str) -> Figures:
        return self._load()[code]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def unit_rows(summary: Summary) -> Iterator[tuple[OrgUnit, Figures]]:
    """Each included unit in path order with its typed figures, streamed: the units and their
    values are two queries in the same order, read side by side a chunk at a time, so memory
    stays flat however many units there are (for the exports)."""
    units = summary.included.iterator(chunk_size=CHUNK)
    values = (
        _values_of(summary.reports)
        .order_by(PathOrder("report__unit__path"))
        .values_list("report__unit_id", "code", "value")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(values, None)
    for unit in units:
        pairs = []
        while pending is not None and pending[0] == unit.pk:
            pairs.append(pending[1:])
            pending = next(values, None)
        yield unit, _figures(summary.definition, pairs)


def _value_of(summary: Summary, code: str) -> Subquery:
    """A unit's stored value of blank ``code`` in its filed report (an annotation)."""
    found = ReportValue.objects.filter(
        report__campaign_form=summary.campaign_form,
        report__kind=ReportKind.FILED,
        report__unit=OuterRef("pk"),
        code=code,
    )
    return Subquery(found.values("value")[:1])


def unit_table_page(
    summary: Summary, *, sort: str = "", desc: bool = False, number: int | str | None = 1
) -> Page:
    """One page of the unit-by-blank table: the included units in path order, or by their
    figure of blank ``sort`` (empty ones last, ties in path order), sorted by the database;
    ``object_list`` holds (unit, typed figures). Three queries whatever the page."""
    units = summary.included
    if sort in summary.definition.blanks:
        units = units.annotate(sort_value=_value_of(summary, sort))
        by = (
            F("sort_value").desc(nulls_first=True) if desc else F("sort_value").asc(nulls_last=True)
        )
        units = units.order_by(by, PathOrder("path"))
    page = Paginator(units, PAGE_SIZE).get_page(number)
    found = list(page.object_list)
    values: dict[int, list] = {u.pk: [] for u in found}
    rows = ReportValue.objects.filter(
        report__campaign_form=summary.campaign_form,
        report__kind=ReportKind.FILED,
        report__unit__in=list(values),
    ).values_list("report__unit_id", "code", "value")
    for unit_id, code, value in rows:
        values[unit_id].append((code, value))
    shown: list = [(u, _figures(summary.definition, values[u.pk])) for u in found]
    page.object_list = shown
    return page


def drill_rows(
    summary: Summary, code: str
) -> list[tuple[OrgUnit, int | Decimal | bool | None, str]]:
    """Each included unit's figure of blank ``code`` (None where empty) and its branch, in path
    order: one query."""
    btype = summary.definition.blanks[code].type
    units = summary.included.annotate(value=_value_of(summary, code), branch=summary.branch())
    return [
        (u, None if u.value is None else typed(btype, u.value), u.branch)
        for u in units.iterator(chunk_size=CHUNK)
    ]


def branch_codes(summary: Summary) -> dict[str, list[str]]:
    """Branch → the codes of its contributing units (filed or not), in path order; one query."""
    found: dict[str, list[str]] = {}
    rows = summary.contributors.annotate(branch=summary.branch()).values_list("code", "branch")
    for code, branch in rows.iterator(chunk_size=CHUNK):
        found.setdefault(branch, []).append(code)
    return found


def unit_codes(units: QuerySet[OrgUnit]) -> list[str]:
    """The codes of ``units`` (``Summary.included``, ``missing``), in path order; one query."""
    return list(units.values_list("code", flat=True).iterator(chunk_size=CHUNK))
