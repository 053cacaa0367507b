from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from chunfeng.orgunits.models import OrgUnit

from .models import Campaign, CampaignForm


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns the user's unit owns, sits under, or has a recipient in its subtree."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Campaign.objects.none()
    unit = user.unit
    ancestor_codes = unit.path.strip("/").split("/")
    recipients_here = OrgUnit.objects.filter(campaigns=OuterRef("pk"), path__startswith=unit.path)
    return Campaign.objects.filter(
        Q(owner__path__startswith=unit.path)
        | (Q(owner__code__in=ancestor_codes) & Exists(recipients_here))
    )


def campaign_for(user, campaign_id: int) -> Campaign:
    try:
        return campaigns_visible_to(user).get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404(f"没有编号为 {campaign_id} 的活动，或您无权查看") from None


def campaign_form(campaign: Campaign, code: str) -> CampaignForm:
    try:
        return campaign.forms.select_related("form_version").get(code=code)
    except CampaignForm.DoesNotExist:
        raise Http404(f"活动“{campaign.name}”不包含表单 {code}") from None


def recipients_visible_to(user, campaign: Campaign) -> QuerySet[OrgUnit]:
    return campaign.recipients.filter(path__startswith=user.unit.path).order_by("path")


def report_grid(user, campaign: Campaign) -> list[dict]:
    """Rows of (unit, [(campaign form, report or None)]) for the recipients the user sees."""
    from chunfeng.reports.models import Report

    forms = list(campaign.forms.select_related("form_version"))
    units = list(recipients_visible_to(user, campaign))
    reports = {
        (r.unit_id, r.campaign_form_id): r
        for r in Report.objects.filter(campaign_form__in=forms, unit__in=units)
    }
    return [{"unit": u, "cells": [(f, reports.get((u.pk, f.pk))) for f in forms]} for u in units]


def todo_for(user) -> list[dict]:
    """The reports the user's own unit owes, per visible campaign, with their state."""
    if user.unit_id is None:
        return []
    from chunfeng.reports.models import Report

    rows = []
    for campaign in campaigns_visible_to(user).filter(recipients=user.unit):
        for cform in campaign.forms.select_related("form_version"):
            report = Report.objects.filter(campaign_form=cform, unit=user.unit).first()
            rows.append({"campaign": campaign, "form": cform, "report": report})
    return rows


def reviewing_unit(campaign: Campaign, unit: OrgUnit) -> OrgUnit | None:
    """Who reviews ``unit``'s reports: its nearest ancestor that takes part in the campaign,
    as a recipient that collects from below or as the campaign's owner."""
    codes = unit.path.strip("/").split("/")[:-1]
    participants = {
        u.code: u
        for u in OrgUnit.objects.filter(code__in=codes).filter(
            Q(pk=campaign.owner_id) | Q(campaigns=campaign)
        )
    }
    for code in reversed(codes):
        if code in participants:
            return participants[code]
    return None
