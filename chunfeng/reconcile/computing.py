"""Computing the figures a definition's ``derived`` section declares (vocabulary: ``records``):
one aggregate query per record set and period, with the records that could not be counted for
lack of an answer (a migrant caller's unknown birth year) counted beside them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from chunfeng.campaigns.models import CampaignForm
from chunfeng.orgunits.models import OrgUnit

from .records import KINDS, RECORD_SETS, Scope, quantity_of

WAN = Decimal("0.0001")
CENT = Decimal("0.01")


def reference_year(definition, campaign) -> int:
    """The calendar year a form reports on: the year of its 统计截止日期 in the campaign, else
    the year the activity period starts (2012's 春节 campaign asks 附件2 for 2011)."""
    day = (
        CampaignForm.objects.filter(campaign=campaign, code=definition.code)
        .values_list("reference_date", flat=True)
        .first()
    )
    return (day or campaign.period_start).year


def scope_for(definition, campaign, period: str, own: bool = False) -> Scope:
    if period == "year":
        year = reference_year(definition, campaign)
        return Scope(campaign, dt.date(year, 1, 1), dt.date(year, 12, 31), own)
    return Scope(campaign, campaign.period_start, campaign.period_end, own)


def _aggregate(record_set, derivation, where: Q):
    if derivation.measure == "count":
        return Count("pk", filter=where)
    if derivation.measure == "distinct_households":
        return Count("household", distinct=True, filter=where)
    _name, (orm_field, _money) = quantity_of(record_set, derivation)
    return Sum(orm_field, filter=where)


def _typed(blank_type: str, value) -> int | Decimal:
    if blank_type not in ("wan", "yuan"):
        return int(value or 0)
    yuan = Decimal(value or 0)
    if blank_type == "wan":
        return (yuan / 10000).quantize(WAN, rounding=ROUND_HALF_UP)
    return yuan.quantize(CENT, rounding=ROUND_HALF_UP)


def kept_kinds(scope: Scope, unit: OrgUnit) -> set[str]:
    return {kind for kind, rows in KINDS.items() if rows(scope, unit).exists()}


def _prefixes(path: str) -> Iterator[str]:
    """``/a/b/c/`` → ``/a/``, ``/a/b/``, ``/a/b/c/``: the paths of a unit and its ancestors."""
    end = path.find("/", 1)
    while end != -1:
        yield path[: end + 1]
        end = path.find("/", end + 1)


def comparable_codes(definition, campaign, root: OrgUnit, units) -> set[str]:
    """The record-based blanks of a total over ``units`` (within ``root``'s subtree) that the
    records can answer: those whose records every one of ``units`` keeps. A 汇总 where one
    district keeps a register and another does not is not compared on the register's figures —
    the records would miss all of the other's. One query per kind of records, however many
    units, and linear in units + record-holding units (each record path's ancestors are
    collected once, so a unit keeps a kind when its path is among them)."""
    scope = scope_for(definition, campaign, "campaign")
    keeping = {
        kind: {
            prefix
            for path in rows(scope, root).values_list("unit__path", flat=True).distinct()
            for prefix in _prefixes(path)
        }
        for kind, rows in KINDS.items()
    }
    if isinstance(units, QuerySet):
        units = units.values_list("path", flat=True)
    else:
        units = [u.path for u in units]
    paths = list(units)
    return {
        d.code
        for d in definition.derived
        if all(any(path in keeping[k] for k in RECORD_SETS[d.records].needs) for path in paths)
    }


@dataclass
class Figures:
    values: dict[str, int | Decimal] = field(default_factory=dict)
    # code → sentence: records left out because a field the filter asks about is not known
    notes: dict[str, str] = field(default_factory=dict)


def _alias(code: str, suffix: str = "") -> str:
    return "f_" + code.replace(".", "_") + suffix


def _unknown_filter(record_set, derivation) -> tuple[Q, str] | None:
    """The records that would count if the unknown field were known: the other pairs hold
    and the field is None."""
    unknown = [(f, v) for f, v in derivation.where if f in record_set.unknown]
    if not unknown:
        return None
    name = unknown[0][0]
    rest = {record_set.fields[f]: v for f, v in derivation.where if f != name}
    return Q(**rest) & Q(**{f"{record_set.fields[name]}__isnull": True}), record_set.unknown[name]


def compute_explained(definition, campaign, unit: OrgUnit, own: bool = False) -> Figures:
    """The blanks of ``definition`` its records answer for ``unit``'s subtree (with ``own``:
    the unit's own records, for its 本级), each over its derivation's period, in the
    definition's order — only those whose record set the subtree keeps — and the notes on what
    could not be counted."""
    figures = Figures()
    if not definition.derived:
        return figures
    kinds = kept_kinds(scope_for(definition, campaign, "campaign", own), unit)
    groups: dict[tuple[str, str], list] = {}
    for derivation in definition.derived:
        if kinds.intersection(RECORD_SETS[derivation.records].needs):
            groups.setdefault((derivation.records, derivation.period), []).append(derivation)
    for (name, period), derivations in groups.items():
        record_set = RECORD_SETS[name]
        scope = scope_for(definition, campaign, period, own)
        _compute_group(figures, definition, record_set, derivations, scope, unit)
    order = list(definition.blanks)
    figures.values = dict(sorted(figures.values.items(), key=lambda item: order.index(item[0])))
    return figures


def _compute_group(figures, definition, record_set, derivations, scope, unit) -> None:
    if record_set.compute is not None:
        for code, value in record_set.compute(scope, unit, derivations).items():
            figures.values[code] = _typed(definition.blanks[code].type, value)
        return
    aggregates, unknowns = {}, {}
    for d in derivations:
        where = Q(**{record_set.fields[f]: v for f, v in d.where})
        aggregates[_alias(d.code)] = _aggregate(record_set, d, where)
        unknown = _unknown_filter(record_set, d)
        if unknown is not None:
            aggregates[_alias(d.code, "_unknown")] = Count("pk", filter=unknown[0])
            unknowns[d.code] = unknown[1]
    row = record_set.rows(scope, unit).aggregate(**aggregates)
    for d in derivations:
        blank_type = definition.blanks[d.code].type
        figures.values[d.code] = _typed(blank_type, row[_alias(d.code)])
        missing = row.get(_alias(d.code, "_unknown")) or 0
        if missing:
            figures.notes[d.code] = f"另有 {missing} 件（{unknowns[d.code]}）无法判断，未计入"


def compute(definition, campaign, unit: OrgUnit, own: bool = False) -> dict[str, int | Decimal]:
    return compute_explained(definition, campaign, unit, own).values
