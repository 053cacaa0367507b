"""表实相符: the figures of a form that the real-name records answer (as its definition's
``derived`` section declares them, computed by ``records``) for any unit's subtree, their
differences from what a report or a 汇总 says, and taking them into a draft."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chunfeng.core.audit import audit_record
from chunfeng.formdefs.values import format_value
from chunfeng.orgunits.models import OrgUnit
from chunfeng.reports.selectors import report_values
from chunfeng.reports.services import report_save

from .computing import compute, compute_explained


def derived_figures(
    definition, campaign, unit: OrgUnit, own: bool = False
) -> dict[str, int | Decimal]:
    """The blanks of ``definition`` that the real-name records of ``unit``'s subtree answer
    for ``campaign``, as its ``derived`` section declares them (``records``) — only for the
    kinds of records the subtree keeps: a union that keeps no register yet is not told that
    every register figure differs from zero. ``own``: the unit's own records (its 本级)."""
    return compute(definition, campaign, unit, own)


def derived_notes(definition, campaign, unit: OrgUnit) -> dict[str, str]:
    """Beside the figures: per blank, the records left out because a field its filter asks
    about is not known (e.g. a migrant caller's birth year, for 新生代农民工)."""
    return compute_explained(definition, campaign, unit).notes


@dataclass(frozen=True)
class Difference:
    code: str
    label: str
    reported: object
    recorded: object


def differences(definition, reported: dict, recorded: dict) -> list[Difference]:
    """Blanks where the report (or 汇总) and the records disagree; empty blanks are not compared."""
    return [
        Difference(code, definition.blanks[code].label, reported[code], value)
        for code, value in recorded.items()
        if code in definition.blanks
        and reported.get(code) is not None
        and Decimal(reported[code]) != Decimal(value)
    ]


def report_take_derived(*, slot, actor):
    """Take the record-based figures into a unit's draft; the other blanks keep their values."""
    definition = slot.definition
    current = report_values(slot.report, definition)
    recorded = derived_figures(definition, slot.campaign, slot.unit)
    merged = {**current, **{c: v for c, v in recorded.items() if c in definition.blanks}}
    texts = {c: format_value(definition.blanks[c], v) for c, v in merged.items()}
    report, outcome = report_save(slot=slot, actor=actor, values=texts)
    audit_record(actor=actor, action="report.take_derived", target=report, codes=sorted(recorded))
    return report, outcome
