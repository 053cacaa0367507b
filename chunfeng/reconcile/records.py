"""The record sets a form definition may draw figures from (its ``derived`` section), and how
each figure is computed for a unit's subtree and a campaign.

A derivation reads ``{code: 04C.3, records: households_helped, measure: count, where:
{is_migrant: true}}``: the blank 04C.3 is the number of households helped in the campaign
(visited or paid) that are migrant workers'. This module is the vocabulary: the names of the
record sets, the fields each may be filtered by, the measures each allows, and which kinds of
records a union must keep for the figure to be compared at all (a union that keeps no register
is not told that every register figure differs from zero).

All figures of one record set are computed in one aggregate query (one filtered aggregate per
blank), so a report's figures cost one query per record set, whatever the number of blanks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from chunfeng.funds.models import PaymentLine, Receipt, Visit, VisitKind
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.models import Household, HouseholdStatus

MEASURES = ("count", "distinct_households", "sum")


@dataclass(frozen=True)
class RecordSet:
    name: str
    label: str  # what the set holds, for docs/forms.md and messages
    needs: tuple[str, ...]  # kinds of records (any one) the subtree must keep
    rows: Callable[[Any, OrgUnit], QuerySet]
    fields: dict[str, str] = field(default_factory=dict)  # name in a definition → ORM lookup
    measures: tuple[str, ...] = ("count",)


def _in_subtree(unit: OrgUnit) -> dict[str, str]:
    return {"unit__path__startswith": unit.path}


def _households_on_file(campaign, unit: OrgUnit) -> QuerySet:
    """On file at the end of the activity period: active, or out of hardship only after it."""
    return Household.objects.filter(**_in_subtree(unit)).filter(
        Q(status=HouseholdStatus.ACTIVE) | Q(escaped_on__gt=campaign.period_end)
    )


def _households_escaped(campaign, unit: OrgUnit) -> QuerySet:
    """Out of hardship (脱困) in the campaign's year."""
    return Household.objects.filter(
        **_in_subtree(unit), escaped_on__year=campaign.period_start.year
    )


def _visits(campaign, unit: OrgUnit) -> QuerySet:
    return Visit.objects.filter(campaign=campaign, **_in_subtree(unit))


def _lines(campaign, unit: OrgUnit) -> QuerySet:
    return PaymentLine.objects.filter(campaign=campaign, cancelled=False, **_in_subtree(unit))


def _households_helped(campaign, unit: OrgUnit) -> QuerySet:
    """Households visited at home or paid in the campaign by a union of the subtree."""
    visited = _visits(campaign, unit).filter(household=OuterRef("pk"), kind=VisitKind.HOUSEHOLD)
    paid = _lines(campaign, unit).filter(household=OuterRef("pk"))
    return Household.objects.filter(Exists(visited) | Exists(paid))


def _receipts(campaign, unit: OrgUnit) -> QuerySet:
    return Receipt.objects.filter(campaign=campaign, **_in_subtree(unit))


_PERSON = {"is_migrant": "is_migrant", "is_model_worker": "is_model_worker"}

RECORD_SETS = {
    s.name: s
    for s in (
        RecordSet(
            "households_on_file",
            "困难职工档案中在档的家庭（活动期末）",
            ("register",),
            _households_on_file,
            {**_PERSON, "category": "category"},
        ),
        RecordSet(
            "households_escaped",
            "活动当年脱困的家庭",
            ("register",),
            _households_escaped,
            dict(_PERSON),
        ),
        RecordSet(
            "visits",
            "活动中的走访记录（走访企业、走访职工家庭）",
            ("visits", "payments"),
            _visits,
            {"kind": "kind", "is_hardship_enterprise": "is_hardship_enterprise"},
            ("count", "distinct_households"),
        ),
        RecordSet(
            "households_helped",
            "活动中走访或实名发放过的家庭",
            ("visits", "payments"),
            _households_helped,
            dict(_PERSON),
        ),
        RecordSet(
            "receipts",
            "活动中筹集的资金（到账记录）",
            ("receipts",),
            _receipts,
            {"source": "source"},
            ("count", "sum"),
        ),
        RecordSet(
            "payments",
            "活动中的实名发放记录（未撤销）",
            ("payments",),
            _lines,
            {
                "aid_type": "aid_type",
                "kind": "kind",
                "household_is_migrant": "household__is_migrant",
                "household_is_model_worker": "household__is_model_worker",
            },
            ("count", "distinct_households", "sum"),
        ),
    )
}

# the kinds of records, each found by one EXISTS query over the subtree
KINDS: dict[str, Callable[[Any, OrgUnit], QuerySet]] = {
    "register": lambda campaign, unit: Household.objects.filter(**_in_subtree(unit)),
    "visits": _visits,
    "receipts": _receipts,
    "payments": lambda campaign, unit: PaymentLine.objects.filter(
        campaign=campaign, **_in_subtree(unit)
    ),
}


def vocabulary_problems(derivation, blank_type: str) -> list[str]:
    """What is wrong with one derivation against this vocabulary (empty when nothing)."""
    found = RECORD_SETS.get(derivation.records)
    if found is None:
        return [
            f"{derivation.code}：没有名为 {derivation.records} 的记录集（可用：{'、'.join(RECORD_SETS)}）"
        ]
    problems = []
    if derivation.measure not in found.measures:
        problems.append(
            f"{derivation.code}：记录集 {found.name} 不能用 {derivation.measure} 计算"
            f"（可用：{'、'.join(found.measures)}）"
        )
    for name, _value in derivation.where:
        if name not in found.fields:
            problems.append(
                f"{derivation.code}：记录集 {found.name} 没有可筛选的字段 {name}"
                f"（可用：{'、'.join(found.fields) or '无'}）"
            )
    money = blank_type in ("wan", "yuan")
    if (derivation.measure == "sum") != money:  # the sets' sums are of amounts (元)
        problems.append(
            f"{derivation.code}：金额类填报项用 sum，人数、户数等用 count 或 distinct_households"
        )
    return problems


WAN = Decimal("0.0001")
CENT = Decimal("0.01")


def _aggregate(measure: str, where: Q):
    if measure == "count":
        return Count("pk", filter=where)
    if measure == "distinct_households":
        return Count("household", distinct=True, filter=where)
    return Sum("amount", filter=where)


def _typed(measure: str, blank_type: str, value) -> int | Decimal:
    if measure != "sum":
        return int(value or 0)
    yuan = Decimal(value or 0)
    if blank_type == "wan":
        return (yuan / 10000).quantize(WAN, rounding=ROUND_HALF_UP)
    return yuan.quantize(CENT, rounding=ROUND_HALF_UP)


def kept_kinds(campaign, unit: OrgUnit) -> set[str]:
    return {kind for kind, rows in KINDS.items() if rows(campaign, unit).exists()}


def compute(definition, campaign, unit: OrgUnit) -> dict[str, int | Decimal]:
    """The blanks of ``definition`` its records answer for ``unit``'s subtree and ``campaign``,
    in the definition's order; only those whose record set the subtree keeps."""
    kinds = kept_kinds(campaign, unit) if definition.derived else set()
    by_set: dict[str, list] = {}
    for derivation in definition.derived:
        record_set = RECORD_SETS[derivation.records]
        if kinds.intersection(record_set.needs):
            by_set.setdefault(derivation.records, []).append(derivation)
    figures: dict[str, int | Decimal] = {}
    for name, derivations in by_set.items():
        record_set = RECORD_SETS[name]
        aggregates = {}
        for d in derivations:
            where = Q(**{record_set.fields[f]: v for f, v in d.where})
            aggregates[_alias(d.code)] = _aggregate(d.measure, where)
        row = record_set.rows(campaign, unit).aggregate(**aggregates)
        for d in derivations:
            figures[d.code] = _typed(d.measure, definition.blanks[d.code].type, row[_alias(d.code)])
    order = list(definition.blanks)
    return dict(sorted(figures.items(), key=lambda item: order.index(item[0])))


def _alias(code: str) -> str:
    return "f_" + code.replace(".", "_")
