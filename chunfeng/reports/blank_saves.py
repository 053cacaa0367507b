"""Saving one blank as the user leaves it (the entry page's "flows like Excel", like DHIS2's
data entry): a valid value is stored at once, an invalid one is refused for that blank alone.

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

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_fill
from chunfeng.core.versions import Stale
from chunfeng.formdefs.values import format_value, parse_values, to_number

from .models import Report, ReportValue
from .selectors import ReportSlot
from .services import _lock_or_create, _parse_header, _require_open, header_history

HEADER_FIELDS = {"filler_name": "填表人", "filler_phone": "联系电话", "fill_date": "填报日期"}


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
    """Store one blank (a figure, or a header field) of the report's draft. Bad input raises
    ``ApplicationError`` naming the blank and nothing is stored; a save based on an older
    version raises ``Stale`` whose ``details`` hold the blank's stored value."""
    if not can_fill(actor, slot.unit):
        raise NotPermitted(_("只有%(unit)s的填报员可以填写本单位的报表") % {"unit": slot.unit.name})
    _require_open(slot)
    definition = slot.definition
    if code in HEADER_FIELDS:
        header = _parse_header({code: text})
        new_text = _header_text_of(header[code])
    else:
        parsed, errors = parse_values(definition, {code: text})
        if errors:
            raise ApplicationError(
                _("%(error)s（未保存）") % {"error": errors[0].message},
                code="bad_values",
                details=[e.as_dict() for e in errors],
            )
        new_text = format_value(definition.blanks[code], parsed[code])
    with transaction.atomic():
        report, created = _lock_or_create(slot, actor)
        old_text = "" if created else _stored_text(report, code, slot)
        if not created and version is not None and version != report.version:
            label = HEADER_FIELDS.get(code) or definition.blanks[code].label
            raise Stale(
                _(
                    "%(code)s %(label)s：您打开之后，别人已修改并保存了本表，此空现为“%(current)s”，"
                    "您填的“%(typed)s”未保存。请核对后再填。"
                )
                % {
                    "code": code,
                    "label": label,
                    "current": old_text or _("空"),
                    "typed": new_text or _("空"),
                },
                details=[{"field": code, "current": old_text, "version": report.version}],
                current=report.version,
            )
        if old_text == new_text and not created:
            return BlankSaved(report, code, new_text)
        if code in HEADER_FIELDS:
            setattr(report, code, header[code])
            details = {"header": {code: header_history(code, old_text, new_text)}}
        else:
            _write_one(report, code, parsed[code])
            details = {"changes": {code: [old_text, new_text]}}
        report.updated_by = user_or_none(actor)
        report.version += 1
        report.save()
        audit_record(actor=actor, action="report.save", target=report, via="blank", **details)
    return BlankSaved(report, code, new_text)


def _header_text_of(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def _write_one(report: Report, code: str, value) -> None:
    if value is None:
        ReportValue.objects.filter(report=report, code=code).delete()
        return
    ReportValue.objects.update_or_create(
        report=report, code=code, defaults={"value": to_number(value)}
    )
