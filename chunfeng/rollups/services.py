from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_close_campaign, can_fill
from chunfeng.formdefs.values import Value, format_value
from chunfeng.reports.models import Report
from chunfeng.reports.selectors import ReportSlot, report_slot_system
from chunfeng.reports.services import report_finalise, report_save

from .per_unit import unit_codes
from .selectors import INCLUDE, summary_for


@transaction.atomic
def report_fill_from_children(*, slot: ReportSlot, actor, include: str = "approved"):
    """Start (or refresh) a unit's filed report with its 合计: its 本级 figures plus its
    reporting units' reports, by the form's branch rule. The filler can still adjust it before
    submitting. Yes/no blanks become 是 when any unit (or the 本级) says 是."""
    if not can_fill(actor, slot.unit):
        raise NotPermitted(_("只有%(unit)s的填报员可以填写本单位的报表") % {"unit": slot.unit.name})
    if include not in INCLUDE:
        raise ApplicationError(
            "汇总范围只能是“已审核通过”或“已报送和已审核通过”", code="bad_include"
        )
    summary = summary_for(slot.campaign, slot.unit, slot.campaign_form, include)
    if not summary.counts.included and not summary.has_own:
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
        units=unit_codes(summary.included),
        own=summary.has_own,
    )
    return report, outcome, summary


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor) -> list[Report]:
    """End the campaign at its top: every form's final report becomes the owner's 合计 —
    its 本级 plus the approved reports of the reporting units below, by the branch rule —
    frozen, printable and exportable. Refused while an expected report is not approved."""
    owner = campaign.owner
    if not can_close_campaign(actor, owner):
        raise NotPermitted(_("只有%(owner)s的审核员或管理员可以结束活动") % {"owner": owner.name})
    finals = []
    for cform in campaign.forms.select_related("form_version"):
        slot = report_slot_system(campaign.pk, owner.code, cform.code)
        summary = summary_for(campaign, owner, slot.campaign_form, "approved")
        if summary.counts.missing:
            missing = unit_codes(summary.missing)
            names = "、".join(u.name for u in summary.missing[:10])
            raise ApplicationError(
                f"{cform.code}：还有 {len(missing)} 个单位的报表未审核通过（{names}），"
                "不能结束活动",
                code="not_complete",
                details=[{"field": code, "message": "报表未审核通过"} for code in missing],
            )
        values: dict[str, Value] = {
            code: bool(total) if summary.definition.blanks[code].type == "yesno" else total
            for code, total in summary.values.items()
        }
        finals.append(report_finalise(slot=slot, actor=actor, values=values))
    audit_record(actor=actor, action="campaign.close", target=campaign)
    return finals
