from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from chunfeng.campaigns.models import Campaign, CampaignForm
from chunfeng.campaigns.selectors import campaign_for, campaign_form
from chunfeng.formdefs.schema import FormDefinition
from chunfeng.formdefs.selectors import definition_of
from chunfeng.formdefs.values import Value
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import unit_for

from .models import Report, ReportValue


def reports_visible_to(user) -> QuerySet[Report]:
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Report.objects.none()
    return Report.objects.filter(unit__path__startswith=user.unit.path)


@dataclass
class ReportSlot:
    """Where a report lives (campaign, form, unit), whether or not it has been started."""

    campaign: Campaign
    campaign_form: CampaignForm
    unit: OrgUnit
    report: Report | None

    @property
    def definition(self) -> FormDefinition:
        version = self.report.form_version if self.report else self.campaign_form.form_version
        return definition_of(version)


def report_slot_for(user, campaign_id: int, unit_code: str, form_code: str) -> ReportSlot:
    """The one lookup every report page and endpoint uses; 404 outside the user's reach."""
    return _slot(campaign_for(user, campaign_id), unit_for(user, unit_code), form_code)


def report_slot_system(campaign_id: int, unit_code: str, form_code: str) -> ReportSlot:
    """The same lookup for the command line, which acts for the system with no user scope."""
    try:
        campaign = Campaign.objects.get(pk=campaign_id)
        unit = OrgUnit.objects.get(code=unit_code)
    except (Campaign.DoesNotExist, OrgUnit.DoesNotExist):
        raise Http404(f"没有编号为 {campaign_id} 的活动或代码为 {unit_code} 的单位") from None
    return _slot(campaign, unit, form_code)


def _slot(campaign: Campaign, unit: OrgUnit, form_code: str) -> ReportSlot:
    cform = campaign_form(campaign, form_code)
    if not campaign.recipients.filter(pk=unit.pk).exists():
        raise Http404(f"{unit.name}不是活动“{campaign.name}”的报送单位")
    report = (
        Report.objects.select_related("form_version", "updated_by")
        .filter(campaign_form=cform, unit=unit)
        .first()
    )
    return ReportSlot(campaign=campaign, campaign_form=cform, unit=unit, report=report)


def report_values(report: Report | None, definition: FormDefinition) -> dict[str, Value]:
    if report is None:
        return {}
    values: dict[str, Value] = {}
    for code, raw in ReportValue.objects.filter(report=report).values_list("code", "value"):
        blank = definition.blanks.get(code)
        if blank is None:
            continue
        if blank.type == "count":
            values[code] = int(raw)
        elif blank.type == "yesno":
            values[code] = bool(raw)
        else:
            values[code] = raw
    return values


def review_queue(user) -> list[Report]:
    """Submitted reports waiting for this reviewer: those whose reviewing unit is theirs."""
    from chunfeng.accounts.models import Role
    from chunfeng.campaigns.selectors import reviewing_unit

    if user.role != Role.REVIEWER or user.unit_id is None:
        return []
    candidates = (
        reports_visible_to(user)
        .filter(status="submitted")
        .exclude(unit=user.unit)
        .select_related("unit", "campaign_form__campaign", "form_version")
        .order_by("submitted_at")
    )
    return [
        r for r in candidates
        if (ru := reviewing_unit(r.campaign_form.campaign, r.unit)) is not None
        and ru.pk == user.unit_id
    ]  # fmt: skip
