"""Helpers shared by the forms-engine tests: typed value sets built without the parser."""

from __future__ import annotations

from decimal import Decimal

from chunfeng.formdefs.checks import run_checks
from chunfeng.formdefs.loader import form_definitions
from chunfeng.formdefs.schema import Blank, FormDefinition


def form(code: str) -> FormDefinition:
    return form_definitions()[(code, 1)]


def typed(blank: Blank, raw) -> int | Decimal | bool:
    """A value of the blank's type, built directly (independent of values.parse_value)."""
    if blank.type == "yesno":
        assert isinstance(raw, bool), f"{blank.code}: yes/no values must be written as bool"
        return raw
    if blank.type == "count":
        assert isinstance(raw, int) and not isinstance(raw, bool), f"{blank.code}: count is int"
        return raw
    return Decimal(str(raw))


def zero_values(definition: FormDefinition) -> dict:
    """Every blank filled: 0 for numbers, False (否) for yes/no."""
    return {
        code: False if b.type == "yesno" else 0 if b.type == "count" else Decimal("0")
        for code, b in definition.blanks.items()
    }


def values_with(definition: FormDefinition, mods: dict) -> dict:
    values = zero_values(definition)
    for code, raw in mods.items():
        assert code in definition.blanks, f"unknown blank {code} in test table"
        values[code] = typed(definition.blanks[code], raw)
    return values


def failures(definition: FormDefinition, values: dict) -> tuple[set[str], set[str]]:
    """(ids of failed error checks, ids of failed warning checks)."""
    outcome = run_checks(definition, values)
    return {r.check for r in outcome.errors}, {r.check for r in outcome.warnings}


def level_of(check_id: str) -> str:
    """Expected level from the id convention: F1-Wnn / F2-Wnn are warnings, the rest errors."""
    return "warning" if check_id.split("-", 1)[1].startswith("W") else "error"


def mini_data() -> dict:
    """A small valid definition (as loaded from YAML) that tests copy and break."""
    return {
        "code": "T1",
        "version": 1,
        "title": "测试表",
        "items": [
            {
                "number": "01",
                "lines": [
                    {
                        "letter": "A",
                        "text": "总数{01A}人，其中{01A.2}人。",
                        "blanks": [
                            {"code": "01A", "label": "总数", "unit": "人", "type": "count"},
                            {"code": "01A.2", "label": "其中", "unit": "人", "type": "count"},
                        ],
                    },
                    {
                        "letter": "B",
                        "text": "金额{01B}万元，补贴{01B.2}元，是否纳入{01B.3}(是/否)。",
                        "blanks": [
                            {"code": "01B", "label": "金额", "unit": "万元", "type": "wan"},
                            {"code": "01B.2", "label": "补贴", "unit": "元", "type": "yuan"},
                            {
                                "code": "01B.3",
                                "label": "是否纳入",
                                "unit": "(是/否)",
                                "type": "yesno",
                            },
                        ],
                    },
                ],
            },
            {
                "number": "02",
                "lines": [
                    {
                        "letter": "",
                        "text": "共检查{02}次，涉及{02.2}人。",
                        "blanks": [
                            {"code": "02", "label": "检查", "unit": "次", "type": "count"},
                            {"code": "02.2", "label": "涉及", "unit": "人", "type": "count"},
                        ],
                    }
                ],
            },
        ],
        "notes": ["测试用。"],
        "checks": [{"id": "T-01", "expr": "{01A.2} <= {01A}"}],
    }
