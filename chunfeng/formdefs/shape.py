"""The shape of a definition file: the keys each level allows and requires, and their types.

Checked before anything is built, so that a typo (``chekcs:``) or a value of the wrong type is
refused with its place named instead of being silently ignored. docs/forms.md describes every key.
"""

from __future__ import annotations

import difflib
import types
from dataclasses import dataclass


class DefinitionError(ValueError):
    """A definition that cannot be loaded; the message (Chinese) names the place concerned."""


@dataclass(frozen=True)
class Key:
    type: type
    required: bool = False


TOP = {
    "code": Key(str, required=True),
    "version": Key(int, required=True),
    "title": Key(str, required=True),
    "items": Key(list, required=True),
    "attachment": Key(str),
    "number_style": Key(str),
    "header": Key(list),
    "notes": Key(list),
    "checks": Key(list),
    "derived": Key(list),
    "rollup": Key(list),
}
HEADER = {"code": Key(str, required=True), "label": Key(str, required=True)}
ITEM = {"number": Key(str, required=True), "intro": Key(str), "lines": Key(list, required=True)}
LINE = {"letter": Key(str), "text": Key(str, required=True), "blanks": Key(list)}
BLANK = {
    "code": Key(str, required=True),
    "label": Key(str, required=True),
    "type": Key(str, required=True),
    "unit": Key(str),
}
CHECK = {
    "id": Key(str, required=True),
    "expr": Key(str, required=True),
    "level": Key(str),
    "missing": Key(str),
    "message": Key(str),
}
DERIVED = {
    "code": Key(str, required=True),
    "records": Key(str, required=True),
    "measure": Key(str, required=True),
    "where": Key(dict),
    "of": Key(str),
    "period": Key(str),
}
ROLLUP = {
    "blanks": Key(list, required=True),
    "from": Key(str, required=True),
    "note": Key(str),
}

_TYPE_NAMES = {
    str: "文字",
    int: "整数",
    bool: "是/否（true/false）",
    float: "小数",
    list: "列表",
    dict: "映射（键: 值）",
    type(None): "空值",
}


def type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def prefixed(where: str, message: str) -> str:
    return f"{where}：{message}" if where else message


def is_a(value: object, expected: type | types.UnionType) -> bool:
    """``isinstance`` without taking ``true`` for the integer 1."""
    return isinstance(value, expected) and not (expected is int and isinstance(value, bool))


def wrong_type(where: str, what: str, value: object, expected: type) -> DefinitionError:
    hint = "（请加引号）" if expected is str and is_a(value, int | float) else ""
    return DefinitionError(
        prefixed(
            where, f"{what} 应为{_TYPE_NAMES[expected]}{hint}，而不是{type_name(value)} {value!r}"
        )
    )


def check_keys(raw: object, spec: dict[str, Key], where: str, what: str = "这一项") -> dict:
    """``raw`` is a mapping with only the keys of ``spec``, the required ones present, each
    value of its type. Returns ``raw``."""
    if not isinstance(raw, dict):
        raise wrong_type(where, what, raw, dict)
    for key in raw:
        if key not in spec:
            raise DefinitionError(prefixed(where, _unknown(key, spec)))
    for key, rule in spec.items():
        if key not in raw:
            if rule.required:
                raise DefinitionError(prefixed(where, f"缺少 {key}"))
        elif not is_a(raw[key], rule.type):
            raise wrong_type(where, key, raw[key], rule.type)
    return raw


def _unknown(key: object, spec: dict[str, Key]) -> str:
    close = difflib.get_close_matches(str(key), list(spec), n=1)
    guess = f"（是否应为 {close[0]}？）" if close else ""
    return f"未知的键 {key}{guess}；这里可用的键：{'、'.join(spec)}"


def named(spec: object, key: str, template: str, fallback: str) -> str:
    """Where a mapping is in the file: by its own name (code, id …) when it has a usable one."""
    name = spec.get(key) if isinstance(spec, dict) else None
    return template.format(name) if isinstance(name, str) and name.strip() else fallback


def check_list(raw: list, expected: type, where: str, what: str) -> list:
    """Every element of ``raw`` is of type ``expected``; the n-th bad one is named."""
    for n, element in enumerate(raw, start=1):
        if not is_a(element, expected):
            raise wrong_type(where, f"{what}第 {n} 条", element, expected)
    return raw


def require_some(raw: list, where: str, what: str) -> None:
    if not raw:
        raise DefinitionError(prefixed(where, f"{what}不能为空"))
