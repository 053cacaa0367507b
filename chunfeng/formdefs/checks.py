"""Run a definition's logic checks over typed values, with DHIS2-style missing-value strategies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .expressions import Expression, other_form, parse
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


Others = Mapping[str, Mapping[str, Value]]  # another form's code → its blanks' values


def with_others(values: Mapping[str, Value], others: Others) -> dict[str, Value]:
    """The values a check reads: this form's, and each other form's as ``F2:08K``."""
    merged: dict[str, Value] = dict(values)
    for form, theirs in others.items():
        merged.update({f"{form}:{code}": value for code, value in theirs.items()})
    return merged


def run_checks(
    definition: FormDefinition, values: Mapping[str, Value], others: Others | None = None
) -> Outcome:
    """``others``: the values of the other forms the same unit files in the same campaign, by
    form code, for the checks that span forms (``{F2:08K}``); the caller finds them, so that
    the engine knows nothing of campaigns and reports. A check reading a form not given, or
    an empty blank of it, waits as for any empty blank (its ``missing``)."""
    if others:
        values = with_others(values, others)
    failed = [
        CheckResult(c.id, c.level, c.message, c.fields)
        for c in definition.checks
        if evaluate(c, values) is False
    ]
    return Outcome(
        errors=tuple(r for r in failed if r.level == "error"),
        warnings=tuple(r for r in failed if r.level == "warning"),
    )


def other_forms(definition: FormDefinition) -> tuple[str, ...]:
    """The codes of the other forms that the definition's checks read, in order."""
    found = (other_form(code) for check in definition.checks for code in check.fields)
    return tuple(dict.fromkeys(ref[0] for ref in found if ref is not None))


def empty_blanks(definition: FormDefinition, values: Mapping[str, Value]) -> list[str]:
    return [code for code in definition.blanks if values.get(code) is None]
