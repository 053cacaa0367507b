"""Saving one blank as the user leaves it (the entry page's "flows like Excel", like DHIS2's
data entry): a valid value is stored at once, an invalid one is refused for that blank alone.
A "blank" here is a figure, a header field (填表人, 联系电话, 填报日期) or the explanation (说明)
of a warning, named ``x-<check>`` as on the entry page; an explanation is cleaned as a full save
cleans it (``services._clean_explanations``: only a warning's, stripped, empty removes it).

Each save carries the report version the page read and returns the new one (contract (c),
``core.versions``): when anyone saved the report since, the save is refused (409) with the value
now stored in that blank, so the user sees the other person's figure before typing again.

History: the audit trail is append-only (database triggers forbid changing a row), so a burst of
blank saves cannot be merged into one stored event. Each blank save is its own event (action
``report.save``, ``via: "blank"``) and ``history.group_blank_saves`` folds one user's consecutive blank
saves within a few minutes into one history row when the history is shown (``history``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_fill
from chunfeng.core.versions import Stale
from chunfeng.formdefs.values import format_value, parse_values, to_number

from .models import Report, ReportValue
from .selectors import ReportSlot
from .services import (
    _clean_explanations,
    _lock_or_create,
    _parse_header,
    _require_open,
    header_history,
)

HEADER_FIELDS = {
    "filler_name": gettext_lazy("填表人"),
    "filler_phone": gettext_lazy("联系电话"),
    "fill_date": gettext_lazy("填报日期"),
}
EXPLANATION = "x-"  # an explanation's box is named x-<check id> on the entry page


@dataclass(frozen=True)
class BlankSaved:
    report: Report
    code: str
    text: str  # the canonical text now stored ("" when emptied)


def _header_text(report: Report, code: str) -> str:
    return _header_text_of(getattr(report, code))


def _stored_text(report: Report, code: str, slot: ReportSlot) -> str:
    if code in HEADER_FIELDS:
        return _header_text(report, code)
    if code.startswith(EXPLANATION):
        return str((report.explanations or {}).get(code[len(EXPLANATION) :], ""))
    blank = slot.definition.blanks[code]
    row = ReportValue.objects.filter(report=report, code=code).values_list("value", flat=True)
    raw = row.first()
    if raw is None:
        return ""
    value = int(raw) if blank.type == "count" else bool(raw) if blank.type == "yesno" else raw
    return format_value(blank, value)


def report_save_blank(
    *, slot: ReportSlot, actor, code: str, text: str, version: int | None
) -> BlankSaved:
    """Store one blank (a figure, a header field or a warning's explanation) of the report's
    draft. Bad input raises ``ApplicationError`` naming the blank and nothing is stored; a save
    based on an older version raises ``Stale`` whose ``details`` hold the blank's stored value."""
    if not can_fill(actor, slot.unit):
        raise NotPermitted(_("只有%(unit)s的填报员可以填写本单位的报表") % {"unit": slot.unit.name})
    _require_open(slot)
    definition = slot.definition
    new_text = _canonical(definition, code, text)
    with transaction.atomic():
        report, created = _lock_or_create(slot, actor)
        old_text = "" if created else _stored_text(report, code, slot)
        if not created and version is not None and version != report.version:
            raise Stale(
                _(
                    "%(name)s：您打开之后，别人已修改并保存了本表，此处现为“%(current)s”，"
                    "您填的“%(typed)s”未保存。请核对后再填。"
                )
                % {
                    "name": _name(definition, code),
                    "current": old_text or _("空"),
                    "typed": new_text or _("空"),
                },
                details=[{"field": code, "current": old_text, "version": report.version}],
                current=report.version,
            )
        if old_text == new_text and not created:
            return BlankSaved(report, code, new_text)
        details = _write(report, definition, code, old_text, new_text)
        report.updated_by = user_or_none(actor)
        report.version += 1
        report.save()
        audit_record(actor=actor, action="report.save", target=report, via="blank", **details)
    return BlankSaved(report, code, new_text)


def _name(definition, code: str) -> str:
    """How a message names the blank: 填表人, 01A 当地职工总数, F1-W01 的说明."""
    if code in HEADER_FIELDS:
        return str(HEADER_FIELDS[code])
    if code.startswith(EXPLANATION):
        return _("%(check)s 的说明") % {"check": code[len(EXPLANATION) :]}
    return f"{code} {definition.blanks[code].label}"


def _canonical(definition, code: str, text: str) -> str:
    """The text the blank's value is stored and shown as; bad input raises, naming it."""
    if code in HEADER_FIELDS:
        return _header_text_of(_parse_header({code: text})[code])
    if code.startswith(EXPLANATION):
        check = code[len(EXPLANATION) :]
        return _clean_explanations(definition, {check: text}).get(check, "")
    parsed, errors = parse_values(definition, {code: text})
    if errors:
        raise ApplicationError(
            _("%(error)s（未保存）") % {"error": errors[0].message},
            code="bad_values",
            details=[e.as_dict() for e in errors],
        )
    return format_value(definition.blanks[code], parsed[code])


def _write(report: Report, definition, code: str, old_text: str, new_text: str) -> dict:
    """Write the blank's new (canonical, valid) text; what the history records of it."""
    if code in HEADER_FIELDS:
        setattr(report, code, _parse_header({code: new_text})[code])
        return {"header": {code: header_history(code, old_text, new_text)}}
    if code.startswith(EXPLANATION):
        check = code[len(EXPLANATION) :]
        said = {k: v for k, v in (report.explanations or {}).items() if k != check}
        report.explanations = said | ({check: new_text} if new_text else {})
        return {"explanations": {check: [old_text, new_text]}}
    parsed, _errors = parse_values(definition, {code: new_text})
    _write_one(report, code, parsed[code])
    return {"changes": {code: [old_text, new_text]}}


def _header_text_of(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def _write_one(report: Report, code: str, value) -> None:
    if value is None:
        ReportValue.objects.filter(report=report, code=code).delete()
        return
    ReportValue.objects.update_or_create(
        report=report, code=code, defaults={"value": to_number(value)}
    )
