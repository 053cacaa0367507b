"""Record-based figures declared in a definition (``derived:``): which blanks the real-name
records also give, from which record set, by which measure and filter.

Only the shape is checked here. Which record sets exist and which fields they have is the
vocabulary of chunfeng.reconcile, which checks it against the definitions it is given."""

from __future__ import annotations

import re

from .schema import MEASURES, PERIODS, Blank, Derivation
from .shape import DERIVED, DefinitionError, check_keys, named, type_name

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The blank types each measure can fill: a number of records or households is a count; a sum
# may be of amounts or of numbers, never a yes/no.
MEASURE_TYPES = {
    "count": ("count",),
    "distinct_households": ("count",),
    "sum": ("count", "wan", "yuan"),
}


def build_derived(raw: list, blanks: dict[str, Blank]) -> tuple[Derivation, ...]:
    found: list[Derivation] = []
    for n, spec in enumerate(raw, start=1):
        where = named(spec, "code", "记录算出的项 {}", f"记录算出的项（derived）第 {n} 条")
        check_keys(spec, DERIVED, where)
        derivation = _build_one(spec, blanks, where)
        if any(d.code == derivation.code for d in found):
            raise DefinitionError(f"{where}：填报项 {derivation.code} 已在前面声明过")
        found.append(derivation)
    return tuple(found)


def _build_one(spec: dict, blanks: dict[str, Blank], where: str) -> Derivation:
    code, records, measure = spec["code"], spec["records"], spec["measure"]
    if code not in blanks:
        raise DefinitionError(f"{where}：本表没有填报项 {code}")
    if not IDENTIFIER.fullmatch(records):
        raise DefinitionError(f"{where}：记录集 records {records!r} 应为非空的英文标识符")
    if measure not in MEASURES:
        raise DefinitionError(f"{where}：measure {measure!r} 不在 {MEASURES} 之中")
    btype = blanks[code].type
    if btype not in MEASURE_TYPES[measure]:
        raise DefinitionError(f"{where}：measure {measure} 不能用于类型为 {btype} 的填报项")
    of, period = spec.get("of", ""), spec.get("period", "campaign")
    if of and (measure != "sum" or not IDENTIFIER.fullmatch(of)):
        raise DefinitionError(f"{where}：of 只用于 sum，应为英文标识符（记录集中可加总的量）")
    if period not in PERIODS:
        raise DefinitionError(f"{where}：period {period!r} 不在 {PERIODS} 之中")
    return Derivation(code, records, measure, _where(spec.get("where", {}), where), of, period)


def _where(raw: dict, where: str) -> tuple[tuple[str, object], ...]:
    for field, value in raw.items():
        if not isinstance(field, str) or not IDENTIFIER.fullmatch(field):
            raise DefinitionError(f"{where}：where 中的字段名 {field!r} 应为英文标识符")
        if not isinstance(value, str | int):  # bool is an int
            raise DefinitionError(
                f"{where}：where 中 {field} 的值应为文字、整数或是/否，"
                f"而不是{type_name(value)} {value!r}"
            )
    return tuple(sorted(raw.items()))  # one order, whatever the storage does to the mapping
