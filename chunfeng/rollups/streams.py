"""A 汇总's per-unit figures read a block of units at a time, for the exports that write every
unit's row (the unit-by-blank table as xlsx or CSV): memory holds one block, whatever the
number of units, where ``Summary.per_unit`` holds them all (the pages that sort or drill down
need that)."""

from __future__ import annotations

from collections.abc import Iterator

from chunfeng.orgunits.models import OrgUnit
from chunfeng.reports.models import ReportKind, ReportValue

from .selectors import INCLUDE, Summary, _typed

UNITS_PER_QUERY = 1000


def unit_values_streamed(
    summary: Summary, *, units_per_query: int | None = None
) -> Iterator[tuple[OrgUnit, dict]]:
    """Each unit of ``summary.included``, in that order, with its typed figures (blank code →
    value); one query per ``units_per_query`` units (``UNITS_PER_QUERY``)."""
    units_per_query = units_per_query or UNITS_PER_QUERY
    blanks = summary.definition.blanks
    statuses = INCLUDE[summary.include]
    for start in range(0, len(summary.included), units_per_query):
        block = summary.included[start : start + units_per_query]
        values: dict[int, dict] = {u.pk: {} for u in block}
        rows = ReportValue.objects.filter(
            report__campaign_form=summary.campaign_form,
            report__kind=ReportKind.FILED,
            report__status__in=statuses,
            report__unit_id__in=list(values),
            code__in=list(blanks),
        ).values_list("report__unit_id", "code", "value")
        for unit_id, code, value in rows.iterator(chunk_size=5000):
            values[unit_id][code] = _typed(blanks[code].type, value)
        for unit in block:
            yield unit, values[unit.pk]
