"""One formula for every collecting unit U: 合计(U) = 本级(U) + 下级合计(U), where 下级合计 adds
the filed reports of the topmost reporting units below U branch by branch, by the rule the form
declares per blank (``rollup:`` in its definition, ``FormDefinition.branch_rule``).

The branches: a reporting unit below U is in the 产业 branch when an industrial union (产业工会)
stands between U and it (or is it), else in the 属地 branch (区市县 and the grassroots unions
directly under U). A blank declared ``territory`` takes its 下级合计 from the 属地 branch only
— where U has reporting units in that branch; a unit with only one branch adds it whole —
``industry`` likewise, ``both`` (the default) adds both. Pure functions: the selectors fetch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from chunfeng.formdefs.schema import BRANCH_RULE_LABELS, FormDefinition

TERRITORY, INDUSTRY = "territory", "industry"
BRANCHES = (TERRITORY, INDUSTRY)
BRANCH_LABELS = {TERRITORY: "属地", INDUSTRY: "产业"}

Number = int | Decimal


def branch_of(unit_path: str, below: str, industry_codes: set[str]) -> str:
    """The branch of the unit at ``unit_path`` seen from the unit at path ``below``."""
    codes = unit_path[len(below) :].strip("/").split("/")
    return INDUSTRY if any(code in industry_codes for code in codes) else TERRITORY


def _add(rows: Iterable[Mapping[str, object]]) -> dict[str, Number]:
    totals: dict[str, Number] = {}
    for row in rows:
        for code, value in row.items():
            number = int(value) if isinstance(value, bool) else value
            totals[code] = totals.get(code, 0) + number  # type: ignore[operator]
    return totals


@dataclass(frozen=True)
class Split:
    """Per blank: 本级, each branch, 下级合计 (by the rule), 合计, and the rule that made it."""

    own: dict[str, Number]
    branches: dict[str, dict[str, Number]]
    children: dict[str, Number]
    total: dict[str, Number]
    rules: dict[str, str]  # blank → both / territory / industry, as applied to this unit
    present: tuple[str, ...]  # the branches this unit has reporting units in

    def rule_label(self, code: str) -> str:
        if len(self.present) < 2:
            return _("本级＋下级")
        return str(BRANCH_RULE_LABELS[self.rules[code]])


def split_totals(
    definition: FormDefinition,
    own: Mapping[str, object],
    per_unit_branch: Iterable[tuple[str, Mapping[str, object]]],
    present: Iterable[str],
) -> Split:
    """Apply the formula. ``per_unit_branch``: (branch, a reporting unit's typed values);
    ``present``: the branches that have reporting units (filed or not) below the unit."""
    grouped: dict[str, list[Mapping[str, object]]] = {b: [] for b in BRANCHES}
    for branch, values in per_unit_branch:
        grouped[branch].append(values)
    branches = {b: _add(rows) for b, rows in grouped.items()}
    present = tuple(b for b in BRANCHES if b in set(present))
    own_sum = _add([own])
    rules: dict[str, str] = {}
    children: dict[str, Number] = {}
    total: dict[str, Number] = {}
    for code in definition.blanks:
        declared = definition.branch_rule(code).branches
        rule = declared if declared in present and len(present) > 1 else "both"
        rules[code] = rule
        counted = BRANCHES if rule == "both" else (rule,)
        parts = [branches[b][code] for b in counted if code in branches[b]]
        if parts:
            children[code] = sum(parts[1:], parts[0])
        if code in own_sum or code in children:
            total[code] = own_sum.get(code, 0) + children.get(code, 0)
    return Split(own_sum, branches, children, total, rules, present)


@dataclass(frozen=True)
class SplitRow:
    """One blank of the 本级 / 下级 / 合计 table, each figure as text (``fmt``)."""

    code: str
    label: str
    unit: str
    own: str
    territory: str
    industry: str
    children: str
    total: str
    rule: str  # both / territory / industry
    rule_label: str


def split_rows(definition: FormDefinition, split: Split, fmt) -> list[SplitRow]:
    """The rows every view of a 汇总 shows (page, table, Excel, PDF, API)."""
    rows = []
    for code, blank in definition.blanks.items():

        def text(values: Mapping[str, Number], code: str = code, blank=blank) -> str:
            return fmt(blank, values.get(code))

        rows.append(
            SplitRow(
                code,
                blank.label,
                blank.unit,
                text(split.own),
                text(split.branches[TERRITORY]),
                text(split.branches[INDUSTRY]),
                text(split.children),
                text(split.total),
                split.rules[code],
                split.rule_label(code),
            )
        )
    return rows
