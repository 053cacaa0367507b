from __future__ import annotations

from django.db import transaction

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_fill
from chunfeng.formdefs.values import format_value
from chunfeng.reports.selectors import ReportSlot
from chunfeng.reports.services import report_save

from .selectors import INCLUDE, summary_for


@transaction.atomic
def report_fill_from_children(*, slot: ReportSlot, actor, include: str = "approved"):
    """Start (or refresh) a unit's own report as the 汇总 of its reporting units' reports. The
    filler can still adjust it before submitting. Yes/no blanks become 是 when any unit says 是."""
    if not can_fill(actor, slot.unit):
        raise NotPermitted(f"只有{slot.unit.name}的填报员可以填写本单位的报表")
    if include not in INCLUDE:
        raise ApplicationError(
            "汇总范围只能是“已审核通过”或“已报送和已审核通过”", code="bad_include"
        )
    summary = summary_for(slot.campaign, slot.unit, slot.campaign_form, include)
    if not summary.included:
        raise ApplicationError(
            f"{slot.unit.name}下级单位还没有{'审核通过' if include == 'approved' else '已报送'}"
            "的报表，无法汇总",
            code="nothing_to_sum",
        )
    definition = summary.definition
    values = {
        code: ("是" if total else "否")
        if definition.blanks[code].type == "yesno"
        else format_value(definition.blanks[code], total)
        for code, total in summary.values.items()
    }
    report, outcome = report_save(slot=slot, actor=actor, values=values)
    audit_record(
        actor=actor,
        action="report.fill_from_children",
        target=report,
        include=include,
        units=[u.code for u in summary.included],
    )
    return report, outcome, summary
