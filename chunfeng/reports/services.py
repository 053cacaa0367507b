"""Writes to reports. Every save is one transaction that also writes its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_phone
from chunfeng.core.rules import can_close_campaign, can_fill
from chunfeng.core.versions import check_version
from chunfeng.formdefs.checks import Outcome, empty_blanks
from chunfeng.formdefs.schema import FormDefinition
from chunfeng.formdefs.values import Value, format_value, parse_values, to_number

from .models import Report, ReportKind, ReportStatus, ReportValue
from .selectors import ReportSlot, report_checks, report_values


@dataclass(frozen=True)
class Readiness:
    """What still stands between a report and its submission."""

    empty: tuple[str, ...]
    errors: int
    unexplained: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not (self.empty or self.errors or self.unexplained)


def report_readiness(
    definition: FormDefinition, values: dict[str, Value], explanations: dict, outcome: Outcome
) -> Readiness:
    return Readiness(
        empty=tuple(empty_blanks(definition, values)),
        errors=len(outcome.errors),
        unexplained=tuple(
            w.check for w in outcome.warnings if not str(explanations.get(w.check, "")).strip()
        ),
    )


def _parse_header(header: dict) -> dict:
    parsed: dict[str, object] = {}
    if "filler_name" in header:
        parsed["filler_name"] = str(header["filler_name"] or "").strip()[:64]
    if "filler_phone" in header:
        parsed["filler_phone"] = str(header["filler_phone"] or "").strip()[:32]
    if "fill_date" in header:
        raw = header["fill_date"]
        try:
            parsed["fill_date"] = dt.date.fromisoformat(str(raw)) if raw else None
        except ValueError:
            raise ApplicationError(
                _("填报日期“%(raw)s”不是有效日期（格式：2012-01-08）") % {"raw": raw},
                code="bad_values",
                details=[{"field": "fill_date", "message": "填报日期格式应为 YYYY-MM-DD"}],
            ) from None
    return parsed


EXPLANATION_MAX = 1000  # characters of a warning's explanation (its box's maxlength)


def _clean_explanations(definition: FormDefinition, explanations: dict) -> dict:
    known = {c.id for c in definition.checks if c.level == "warning"}
    unknown = [k for k in explanations if k not in known]
    if unknown:
        raise ApplicationError(
            _("说明对应的审核规则不存在或不是警告：%(items)s") % {"items": "、".join(unknown)},
            code="bad_values",
            details=[{"field": k, "message": _("没有这条警告规则")} for k in unknown],
        )
    cleaned = {k: str(v).strip() for k, v in explanations.items() if str(v or "").strip()}
    too_long = [k for k, v in cleaned.items() if len(v) > EXPLANATION_MAX]
    if too_long:
        raise ApplicationError(
            _("%(checks)s 的说明超过 %(max)s 字（未保存），请精简")
            % {"checks": "、".join(too_long), "max": EXPLANATION_MAX},
            code="bad_values",
            details=[
                {"field": k, "message": _("说明最多 %(max)s 字") % {"max": EXPLANATION_MAX}}
                for k in too_long
            ],
        )
    return cleaned


def report_save(
    *,
    slot: ReportSlot,
    actor,
    values: dict,
    explanations: dict | None = None,
    header: dict | None = None,
    version: int | None = None,
    via: str = "",
) -> tuple[Report, Outcome]:
    """Save a draft. ``values`` is the complete set of blanks: a code left out becomes empty.
    Bad input raises ``ApplicationError`` naming each blank, and nothing is saved.
    ``actor`` is a user or ``SYSTEM`` (the command line, the demo), recorded as such.
    ``version`` is the report's version the writer read (``core.versions``; 0 when it read no
    report yet): when the report has been saved since, nothing is saved and ``Stale`` (409)
    names the blanks whose stored value differs from the writer's. The history records what
    changed: the blanks, the header fields and the explanations, and ``via`` (e.g. "import").
    Returns the report and the checks over its new values."""
    report, parsed = _save(slot, actor, values, explanations, header, version, via)
    new_values = {k: v for k, v in parsed.items() if v is not None}
    return report, report_checks(
        slot.definition, new_values, campaign_id=slot.campaign.pk, unit=slot.unit, own=slot.own
    )


def report_write(
    *,
    slot: ReportSlot,
    actor,
    values: dict,
    explanations: dict | None = None,
    header: dict | None = None,
    version: int | None = None,
) -> Report:
    """``report_save`` without the checks afterwards, for a caller that does not show them:
    the entry page redirects after a save, and the page it lands on runs them."""
    return _save(slot, actor, values, explanations, header, version, "")[0]


def _save(slot, actor, values, explanations, header, version, via) -> tuple[Report, dict]:
    if not can_fill(actor, slot.unit):
        raise NotPermitted(_("只有%(unit)s的填报员可以填写本单位的报表") % {"unit": slot.unit.name})
    _require_open(slot)
    definition = slot.definition
    parsed, errors = parse_values(definition, values)
    if errors:
        raise ApplicationError(
            ngettext(
                "有 %(count)s 处填写有误，未保存：%(errors)s",
                "有 %(count)s 处填写有误，未保存：%(errors)s",
                len(errors),
            )
            % {"count": len(errors), "errors": "；".join(e.message for e in errors)},
            code="bad_values",
            details=[e.as_dict() for e in errors],
        )
    clean_expl = _clean_explanations(definition, explanations or {})
    header_fields = _parse_header(header or {})
    with transaction.atomic():
        report, created = _lock_or_create(slot, actor)
        old = report_values(report, definition)
        check_version(report, None if created else version, _differing(definition, old, parsed))
        changes = _write_values(report, definition, old, parsed)
        details = _other_changes(
            report, header_fields, clean_expl if explanations is not None else None
        )
        for name, value in header_fields.items():
            setattr(report, name, value)
        if explanations is not None:
            report.explanations = clean_expl
        report.updated_by = user_or_none(actor)
        report.version += 1
        report.save(update_fields=[*_SAVED, *header_fields])
        if via:
            details["via"] = via
        audit_record(actor=actor, action="report.save", target=report, changes=changes, **details)
    return report, parsed


# what every save writes of the report row (besides the header fields it was given)
_SAVED = ("explanations", "updated_by", "version", "updated_at")


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def header_history(name: str, old: str, new: str) -> list[str]:
    """A header field's change as the history keeps it: the phone masked (core.personal)."""
    if name == "filler_phone":
        return [mask_phone(old) if old else "", mask_phone(new) if new else ""]
    return [old, new]


def _other_changes(report: Report, header: dict, explanations: dict | None) -> dict:
    """What a save changes besides the blanks, for the history: ``header`` (field: [old, new])
    and ``explanations`` (check: [old, new]), each only when something changed."""
    details: dict[str, dict] = {}
    head = {
        name: header_history(name, _text(getattr(report, name)), _text(value))
        for name, value in header.items()
        if _text(getattr(report, name)) != _text(value)
    }
    if head:
        details["header"] = head
    if explanations is not None:
        old = report.explanations or {}
        said = {
            check: [str(old.get(check, "")), str(explanations.get(check, ""))]
            for check in sorted(set(old) | set(explanations))
            if str(old.get(check, "")) != str(explanations.get(check, ""))
        }
        if said:
            details["explanations"] = said
    return details


def _require_open(slot: ReportSlot) -> None:
    if slot.own and not slot.open:
        status = slot.filed.get_status_display() if slot.filed else ""
        raise NotPermitted(
            _(
                "本单位合计报表状态为“%(status)s”，本级数字不能再修改；"
                "需修改请先退回或重新打开合计报表"
            )
            % {"status": status},
            code="locked",
        )
    if slot.report is not None and not slot.report.editable:
        raise NotPermitted(
            _("报表状态为“%(status)s”，不能修改") % {"status": slot.report.get_status_display()},
            code="locked",
        )


def _differing(definition: FormDefinition, stored: dict, mine: dict) -> Iterator[dict]:
    """The blanks where what is stored is not what the writer sends, with both values
    (a generator: ``check_version`` reads it only when the write is refused)."""
    for code, blank in definition.blanks.items():
        if stored.get(code) != mine.get(code):
            now, sent = format_value(blank, stored.get(code)), format_value(blank, mine.get(code))
            message = _("%(code)s %(label)s：现为“%(current)s”，您填的是“%(typed)s”") % {
                "code": code,
                "label": blank.label,
                "current": now or _("空"),
                "typed": sent or _("空"),
            }
            yield {"field": code, "message": message}


def _lock_or_create(slot: ReportSlot, actor) -> tuple[Report, bool]:
    report, created = Report.all_kinds.select_for_update().get_or_create(
        campaign_form=slot.campaign_form,
        unit=slot.unit,
        kind=ReportKind.OWN if slot.own else ReportKind.FILED,
        defaults={
            "form_version": slot.campaign_form.form_version,
            "updated_by": user_or_none(actor),
        },
    )
    if not report.editable:  # changed status since the slot was read
        raise NotPermitted(
            _("报表状态为“%(status)s”，不能修改") % {"status": report.get_status_display()},
            code="locked",
        )
    return report, created


def _write_values(report, definition, old: dict, new: dict) -> dict:
    changes = {
        code: [format_value(blank, old.get(code)), format_value(blank, new.get(code))]
        for code, blank in definition.blanks.items()
        if old.get(code) != new.get(code)
    }
    emptied = [code for code in changes if new.get(code) is None]
    if emptied:
        ReportValue.objects.filter(report=report, code__in=emptied).delete()
    ReportValue.objects.bulk_create(
        [
            ReportValue(report=report, code=code, value=to_number(new[code]))
            for code in changes
            if new.get(code) is not None
        ],
        update_conflicts=True,
        unique_fields=["report", "code"],
        update_fields=["value"],
    )
    return changes


def report_finalise(*, slot: ReportSlot, actor, values: dict[str, Value]) -> Report:
    """The campaign owner's final report (合计), written with ``values`` and frozen (approved):
    part of closing the campaign, by its owner's reviewers or admins. Typed values, checked by
    the caller's roll-up; one transaction with the caller's."""
    if not slot.is_final:
        raise ApplicationError(_("只有活动发起单位的最终报表可以定稿"), code="not_final")
    if not can_close_campaign(actor, slot.unit):
        raise NotPermitted(
            _("只有%(unit)s的审核员或管理员可以结束活动、定稿最终报表") % {"unit": slot.unit.name}
        )
    definition = slot.definition
    with transaction.atomic():
        report, _created = Report.all_kinds.select_for_update().get_or_create(
            campaign_form=slot.campaign_form,
            unit=slot.unit,
            kind=ReportKind.FILED,
            defaults={"form_version": slot.campaign_form.form_version},
        )
        if report.status == ReportStatus.APPROVED:
            raise ApplicationError(_("最终报表已经定稿，活动已结束"), code="closed")
        old = report_values(report, definition)
        changes = _write_values(report, definition, old, values)
        report.status = ReportStatus.APPROVED
        report.approved_at = report.submitted_at = timezone.now()
        report.updated_by = user_or_none(actor)
        report.version += 1
        report.save()
        audit_record(actor=actor, action="report.finalise", target=report, changes=changes)
    return report
