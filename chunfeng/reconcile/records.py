"""The record sets a form definition may draw figures from (its ``derived`` section), and how
each figure is computed for a unit's subtree and a period.

A derivation reads ``{code: 04C.3, records: households_helped, measure: count, where:
{is_migrant: true}}``: the blank 04C.3 is the number of households helped in the campaign
(visited or paid) that are migrant workers'. This module is the vocabulary: the names of the
record sets, the fields each may be filtered by, the measures and the quantities each allows
(``sum`` adds up the ``of`` quantity: an amount in 元, or a number such as workers), the periods
it can be counted for (the campaign's activity period, or the calendar year the form reports
on), and which kinds of records a union must keep for the figure to be compared at all (a union
that keeps no register is not told that every register figure differs from zero).

All figures of one record set and period are computed in one aggregate query (one filtered
aggregate per blank), whatever the number of blanks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from chunfeng.applications.models import FilePeriod
from chunfeng.funds.models import PaymentLine, Receipt, Recipient, Source, Visit, VisitKind
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.models import Household, HouseholdStatus

from . import case_records as cases

MEASURES = ("count", "distinct_households", "sum")


AMOUNT = {"amount": ("amount", True)}  # the quantity of receipts and payments: 元


@dataclass(frozen=True)
class Scope:
    """What a figure is counted over: the campaign, and the days of the derivation's period."""

    campaign: Any
    start: dt.date
    end: dt.date
    own: bool = False  # the unit's own records (本级) rather than its whole subtree's (合计)


@dataclass(frozen=True)
class RecordSet:
    name: str
    label: str  # what the set holds, for docs/forms.md and messages
    needs: tuple[str, ...]  # kinds of records (any one) the subtree must keep
    rows: Callable[[Scope, OrgUnit], QuerySet]
    fields: dict[str, str] = field(default_factory=dict)  # name in a definition → ORM lookup
    measures: tuple[str, ...] = ("count",)
    # what ``sum`` may add up: name → (ORM field, is money in 元); the first is the default
    quantities: dict[str, tuple[str, bool]] = field(default_factory=dict)
    periods: tuple[str, ...] = ("campaign",)
    unknown: dict[str, str] = field(default_factory=dict)  # nullable fields: what None means
    # a set whose rows are not one model's: computes its figures itself (scope, unit,
    # derivations → code → value) instead of one aggregate over ``rows``
    compute: Callable[[Scope, OrgUnit, list], dict[str, int]] | None = None


def _in_subtree(scope: Scope, unit: OrgUnit) -> dict[str, Any]:
    """The records of ``unit``'s subtree, or of the unit alone for its 本级 (``scope.own``)."""
    return {"unit": unit} if scope.own else {"unit__path__startswith": unit.path}


def _households_on_file(scope: Scope, unit: OrgUnit) -> QuerySet:
    """On file at the end of the activity period, in the category it had then. A file with
    periods (``applications.FilePeriod``: opened by an approval, reviewed) is read as it stood
    on that day; one without (typed or imported before) by its state: active, or out of
    hardship only after the day."""
    end = scope.campaign.period_end
    periods = FilePeriod.objects.filter(household=OuterRef("pk"))
    then = periods.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gt=end))
    return (
        Household.objects.filter(**_in_subtree(scope, unit))
        .annotate(
            has_periods=Exists(periods),
            on_file_then=Exists(then),
            category_then=Coalesce(Subquery(then.values("category")[:1]), F("category")),
        )
        .filter(
            Q(has_periods=False, status=HouseholdStatus.ACTIVE)
            | Q(has_periods=False, escaped_on__gt=end)
            | Q(on_file_then=True)
        )
    )


def _households_escaped(scope: Scope, unit: OrgUnit) -> QuerySet:
    """Out of hardship (脱困) in the campaign's year."""
    return Household.objects.filter(
        **_in_subtree(scope, unit), escaped_on__year=scope.campaign.period_start.year
    )


def _visits(scope: Scope, unit: OrgUnit) -> QuerySet:
    return Visit.objects.filter(campaign=scope.campaign, **_in_subtree(scope, unit))


def _lines(scope: Scope, unit: OrgUnit) -> QuerySet:
    return PaymentLine.objects.filter(
        campaign=scope.campaign, cancelled=False, **_in_subtree(scope, unit)
    )


def _households_helped(scope: Scope, unit: OrgUnit) -> QuerySet:
    """Households visited at home or paid in the campaign by a union of the subtree."""
    visited = _visits(scope, unit).filter(household=OuterRef("pk"), kind=VisitKind.HOUSEHOLD)
    paid = _lines(scope, unit).filter(household=OuterRef("pk"))
    return Household.objects.filter(Exists(visited) | Exists(paid))


def _enterprise_visits(scope: Scope, unit: OrgUnit) -> QuerySet:
    return _visits(scope, unit).filter(kind=VisitKind.ENTERPRISE)


def _enterprises(scope: Scope, unit: OrgUnit, derivations) -> dict[str, int]:
    """走访企业 / 慰问困难企业, in 家: the enterprises visited or paid (慰问困难企业 by a payment
    line naming its unified social credit code), each counted once — by its code, or by its
    name when a visit gave none. Two queries."""
    reached: set[str] = set()
    hardship: set[str] = set()
    for code, name, is_hardship in _enterprise_visits(scope, unit).values_list(
        "enterprise_code", "enterprise", "is_hardship_enterprise"
    ):
        key = code or f"名称:{name}"
        reached.add(key)
        if is_hardship:
            hardship.add(key)
    paid = _lines(scope, unit).filter(recipient=Recipient.ENTERPRISE)
    for code in paid.values_list("id_number", flat=True):
        reached.add(code)
        hardship.add(code)
    return {
        d.code: len(hardship if dict(d.where).get("is_hardship_enterprise") else reached)
        for d in derivations
    }


def _receipts(scope: Scope, unit: OrgUnit) -> QuerySet:
    """Money raised: 上级下拨 received is the giver's money, raised (and counted) there once."""
    rows = Receipt.objects.filter(campaign=scope.campaign, **_in_subtree(scope, unit))
    return rows.exclude(source=Source.ALLOCATION)


_PERSON = {"is_migrant": "is_migrant", "is_model_worker": "is_model_worker"}

RECORD_SETS = {
    s.name: s
    for s in (
        RecordSet(
            "households_on_file",
            "困难职工档案中在档的家庭（活动期末）",
            ("register",),
            _households_on_file,
            {**_PERSON, "category": "category_then"},
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
            "enterprises",
            "活动中走访或慰问（实名发放）过的企业，每家计一次",
            ("visits", "payments"),
            _enterprise_visits,
            {"is_hardship_enterprise": "is_hardship_enterprise"},
            compute=_enterprises,
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
            AMOUNT,
        ),
        RecordSet(
            "payments",
            "活动中的实名发放记录（未撤销）",
            ("payments",),
            _lines,
            {
                "aid_type": "aid_type",
                "kind": "kind",
                "recipient": "recipient",
                "household_is_migrant": "household__is_migrant",
                "household_is_model_worker": "household__is_model_worker",
            },
            ("count", "distinct_households", "sum"),
            AMOUNT,
        ),
        RecordSet(
            "cases",
            "期间受理的12351工单",
            ("cases",),
            cases.cases_received,
            cases.PEOPLE | cases.MATTER,
            ("count", "sum"),
            cases.QUANTITIES,
            ("campaign", "year"),
            cases.UNKNOWN,
        ),
        RecordSet(
            "wage_recoveries",
            "期间办结并为职工追回欠薪的12351工单",
            ("cases",),
            cases.wage_recoveries,
            dict(cases.PEOPLE),
            ("count", "sum"),
            cases.QUANTITIES,
            ("campaign", "year"),
            cases.UNKNOWN,
        ),
        RecordSet(
            "cross_region_resolved",
            "期间由县级以上工会（帮扶中心）协调解决的跨地区12351工单",
            ("cases",),
            cases.cross_region_resolved,
            cases.PEOPLE | {"category": "category"},
            ("count", "sum"),
            cases.QUANTITIES,
            ("campaign", "year"),
            cases.UNKNOWN,
        ),
    )
}

# the kinds of records, each found by one EXISTS query over the subtree
KINDS: dict[str, Callable[[Scope, OrgUnit], QuerySet]] = {
    "register": lambda scope, unit: Household.objects.filter(**_in_subtree(scope, unit)),
    "visits": _visits,
    "receipts": _receipts,
    "payments": lambda scope, unit: PaymentLine.objects.filter(
        campaign=scope.campaign, **_in_subtree(scope, unit)
    ),
    "cases": cases.any_case,
}


def quantity_of(record_set: RecordSet, derivation) -> tuple[str, tuple[str, bool]] | None:
    """The quantity a ``sum`` adds up: the one named by ``of``, else the set's first."""
    if derivation.of:
        found = record_set.quantities.get(derivation.of)
        return (derivation.of, found) if found else None
    return next(iter(record_set.quantities.items()), None)


def vocabulary_problems(derivation, blank_type: str) -> list[str]:
    """What is wrong with one derivation against this vocabulary (empty when nothing)."""
    code, found = derivation.code, RECORD_SETS.get(derivation.records)
    if found is None:
        return [f"{code}：没有名为 {derivation.records} 的记录集（可用：{'、'.join(RECORD_SETS)}）"]
    problems = []
    if derivation.measure not in found.measures:
        problems.append(
            f"{code}：记录集 {found.name} 不能用 {derivation.measure} 计算"
            f"（可用：{'、'.join(found.measures)}）"
        )
    for name, _value in derivation.where:
        if name not in found.fields:
            problems.append(
                f"{code}：记录集 {found.name} 没有可筛选的字段 {name}"
                f"（可用：{'、'.join(found.fields) or '无'}）"
            )
    if derivation.period not in found.periods:
        problems.append(
            f"{code}：记录集 {found.name} 不能按 {derivation.period} 统计"
            f"（可用：{'、'.join(found.periods)}）"
        )
    money = blank_type in ("wan", "yuan")
    quantity = quantity_of(found, derivation) if derivation.measure == "sum" else None
    if derivation.measure == "sum" and quantity is None:
        problems.append(
            f"{code}：记录集 {found.name} 没有可加总的量 {derivation.of}"
            f"（可用：{'、'.join(found.quantities) or '无'}）"
        )
    elif (quantity is not None and quantity[1][1]) != money:
        problems.append(
            f"{code}：金额类填报项用 sum 加总金额，人数、户数等用 count、distinct_households"
            "或 sum 加总人数"
        )
    return problems
