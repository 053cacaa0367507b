"""Load and validate form definitions from YAML. Errors name the item and blank concerned."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from .expressions import REF, ExpressionError, default_message, parse
from .schema import (
    BLANK_TYPES,
    CHECK_LEVELS,
    MISSING_STRATEGIES,
    Blank,
    Check,
    FormDefinition,
    HeaderField,
    Item,
    Line,
    Segment,
)

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
_UNIT_TYPES = {"万元": "wan", "元": "yuan", "(是/否)": "yesno"}


class DefinitionError(ValueError):
    pass


def expected_code(item: str, letter: str, n: int) -> str:
    """The code rule: ``<item><letter>`` for a line's first blank, ``.<n>`` for the n-th."""
    return f"{item}{letter}" + (f".{n}" if n > 1 else "")


def load_file(path: Path) -> FormDefinition:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    try:
        return build(data)
    except DefinitionError as exc:
        raise DefinitionError(f"{path.name}: {exc}") from exc


def build(data: dict) -> FormDefinition:
    for key in ("code", "version", "title", "items"):
        if key not in data:
            raise DefinitionError(f"缺少 {key}")
    blanks: dict[str, Blank] = {}
    numbers = [str(raw.get("number")) for raw in data["items"]]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise DefinitionError(f"项目编号重复：{'、'.join(repeated)}")
    items = tuple(_build_item(raw, blanks) for raw in data["items"])
    labels = {code: b.label for code, b in blanks.items()}
    checks = tuple(_build_check(raw, blanks, labels) for raw in data.get("checks", []))
    ids = [c.id for c in checks]
    repeated_ids = sorted({i for i in ids if ids.count(i) > 1})
    if repeated_ids:
        raise DefinitionError(f"审核规则编号重复：{'、'.join(repeated_ids)}")
    return FormDefinition(
        code=str(data["code"]),
        version=int(data["version"]),
        attachment=data.get("attachment", ""),
        title=data["title"],
        number_style=data.get("number_style", "plain"),
        header=tuple(HeaderField(h["code"], h["label"]) for h in data.get("header", [])),
        items=items,
        notes=tuple(data.get("notes", [])),
        checks=checks,
        blanks=blanks,
    )


def _build_item(raw: dict, blanks: dict[str, Blank]) -> Item:
    number = str(raw["number"])
    if not re.fullmatch(r"[0-9]{2}", number):
        raise DefinitionError(f"项目编号 {number!r} 必须是两位数字")
    lines = tuple(_build_line(number, line, blanks) for line in raw["lines"])
    return Item(number=number, intro=raw.get("intro", ""), lines=lines)


def _build_line(item: str, raw: dict, blanks: dict[str, Blank]) -> Line:
    letter = str(raw.get("letter") or "")
    where = f"第 {item} 项 {letter or '（无字母行）'}"
    text = raw["text"]
    in_text = REF.findall(text)
    declared = [str(b["code"]) for b in raw.get("blanks", [])]
    if in_text != declared:
        raise DefinitionError(f"{where}：文字中的空 {in_text} 与声明的空 {declared} 不一致")
    for n, spec in enumerate(raw.get("blanks", []), start=1):
        blank = _build_blank(item, letter, n, spec, where)
        if blank.code in blanks:
            raise DefinitionError(f"{where}：代码 {blank.code} 重复")
        blanks[blank.code] = blank
    return Line(letter=letter, text=text, segments=_segments(text), blanks=tuple(declared))


def _build_blank(item: str, letter: str, n: int, spec: dict, where: str) -> Blank:
    code = str(spec["code"])
    if code != expected_code(item, letter, n):
        raise DefinitionError(
            f"{where}：第 {n} 个空的代码应为 {expected_code(item, letter, n)}，而不是 {code}"
        )
    btype, unit = spec.get("type"), spec.get("unit", "")
    if btype not in BLANK_TYPES:
        raise DefinitionError(f"{where} {code}：类型 {btype!r} 不在 {BLANK_TYPES} 之中")
    if _UNIT_TYPES.get(unit, "count") != btype:
        raise DefinitionError(f"{where} {code}：单位“{unit}”与类型 {btype} 不符")
    if not spec.get("label"):
        raise DefinitionError(f"{where} {code}：缺少名称（label）")
    return Blank(code=code, label=spec["label"], unit=unit, type=btype, item=item, letter=letter)


def _segments(text: str) -> tuple[Segment, ...]:
    parts: list[Segment] = []
    pos = 0
    for match in REF.finditer(text):
        if match.start() > pos:
            parts.append(Segment(text=text[pos : match.start()]))
        parts.append(Segment(blank=match.group(1)))
        pos = match.end()
    if pos < len(text):
        parts.append(Segment(text=text[pos:]))
    return tuple(parts)


def _build_check(raw: dict, blanks: dict[str, Blank], labels: dict[str, str]) -> Check:
    cid = str(raw.get("id") or "").strip()
    if not cid:
        raise DefinitionError(f"审核规则缺少编号（id）：{raw.get('expr', raw)}")
    if not raw.get("expr"):
        raise DefinitionError(f"审核规则 {cid}：缺少表达式（expr）")
    try:
        expression = parse(raw["expr"])
    except ExpressionError as exc:
        raise DefinitionError(f"审核规则 {cid}：{exc}") from exc
    unknown = [c for c in expression.codes if c not in blanks]
    if unknown:
        raise DefinitionError(f"审核规则 {cid}：引用了不存在的填报项 {unknown}")
    level = raw.get("level", "error")
    missing = raw.get("missing", "skip_if_any")
    if level not in CHECK_LEVELS or missing not in MISSING_STRATEGIES:
        raise DefinitionError(f"审核规则 {cid}：level 或 missing 取值无效")
    return Check(
        id=cid,
        expr=raw["expr"],
        level=level,
        message=raw.get("message") or default_message(expression, labels),
        missing=missing,
        fields=expression.codes,
    )


@cache
def builtin_definitions() -> dict[tuple[str, int], FormDefinition]:
    found = (load_file(p) for p in sorted(DEFINITIONS_DIR.glob("*.yaml")))
    return {(d.code, d.version): d for d in found}


def latest_builtin(code: str) -> FormDefinition:
    versions = [d for (c, _v), d in builtin_definitions().items() if c == code]
    if not versions:
        raise KeyError(code)
    return max(versions, key=lambda d: d.version)
