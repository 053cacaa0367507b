"""How a roll-up adds the branches below a unit (``rollup:``): which blanks of a form take
their 合计 from the 属地 branch only (the districts count the workers and families of their
whole area, including those whose unions belong to an industrial union), from the 产业 branch
only, or from both (money and activities, which the two branches do not share)."""

from __future__ import annotations

from .schema import BRANCH_RULES, Blank, RollupRule
from .shape import ROLLUP, DefinitionError, check_keys, check_list, require_some


def build_rollup(raw: list, blanks: dict[str, Blank]) -> tuple[RollupRule, ...]:
    found: list[RollupRule] = []
    seen: dict[str, int] = {}
    for n, spec in enumerate(raw, start=1):
        where = f"汇总规则（rollup）第 {n} 条"
        check_keys(spec, ROLLUP, where)
        codes = check_list(spec["blanks"], str, where, "blanks ")
        require_some(codes, where, "blanks ")
        if spec["from"] not in BRANCH_RULES:
            raise DefinitionError(
                f"{where}：from {spec['from']!r} 不在 {'、'.join(BRANCH_RULES)} 之中"
            )
        for code in codes:
            if code not in blanks:
                raise DefinitionError(f"{where}：本表没有填报项 {code}")
            if code in seen:
                raise DefinitionError(f"{where}：填报项 {code} 已在第 {seen[code]} 条声明过")
            seen[code] = n
        found.append(RollupRule(tuple(codes), spec["from"], spec.get("note", "").strip()))
    return tuple(found)
