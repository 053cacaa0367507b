"""Run a definition's logic checks over typed values, with DHIS2-style missing-value strategies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .expressions import Expression, parse
from .schema import Check, FormDefinition
from .values import Value, to_number


@dataclass(frozen=True)
class CheckResult:
    check: str
    level: str
    message: str
    fields: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"check": self.check, "message": self.message, "fields": list(self.fields)}


@dataclass(frozen=True)
class Outcome:
    errors: tuple[CheckResult, ...]
    warnings: tuple[CheckResult, ...]

    def as_dict(self) -> dict:
        return {
            "errors": [r.as_dict() for r in self.errors],
            "warnings": [r.as_dict() for r in self.warnings],
        }


@cache
def compiled(expr: str) -> Expression:
    return parse(expr)


def evaluate(check: Check, values: Mapping[str, Value]) -> bool | None:
    """True when the check passes, False when it fails, None when skipped for empty blanks."""
    present = [values.get(code) is not None for code in check.fields]
    if check.missing == "skip_if_any" and not all(present):
        return None
    if check.missing == "skip_if_all" and not any(present):
        return None
    numbers = {
        code: Decimal(0) if values.get(code) is None else to_number(values[code])
        for code in check.fields
    }
    return compiled(check.expr).evaluate(numbers)


def run_checks(definition: FormDefinition, values: Mapping[str, Value]) -> Outcome:
    failed = [
        CheckResult(c.id, c.level, c.message, c.fields)
        for c in definition.checks
        if evaluate(c, values) is False
    ]
    return Outcome(
        errors=tuple(r for r in failed if r.level == "error"),
        warnings=tuple(r for r in failed if r.level == "warning"),
    )


def empty_blanks(definition: FormDefinition, values: Mapping[str, Value]) -> list[str]:
    return [code for code in definition.blanks if values.get(code) is None]
