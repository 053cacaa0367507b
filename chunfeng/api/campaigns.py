"""Campaigns the caller's unit owns or reports to; recipients shown only within its subtree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from ninja import Router, Schema

from chunfeng.campaigns.models import Campaign, CampaignForm
from chunfeng.campaigns.selectors import campaign_for, campaigns_visible_to
from chunfeng.orgunits.selectors import units_visible_to

from .errors import error_responses

router = Router(tags=["活动"])


class CampaignFormOut(Schema):
    code: str
    version: int
    title: str
    reference_date: dt.date | None


class CampaignOut(Schema):
    id: int
    name: str
    owner: str
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    forms: list[CampaignFormOut]
    recipients: list[str]

    @staticmethod
    def resolve_owner(campaign: Campaign) -> str:
        return campaign.owner.code

    @staticmethod
    def resolve_forms(campaign: Campaign) -> list[dict]:
        return [
            {
                "code": cf.code,
                "version": cf.form_version.version,
                "title": cf.form_version.title,
                "reference_date": cf.reference_date,
            }
            for cf in campaign.forms.all()
        ]

    @staticmethod
    def resolve_recipients(campaign: Campaign) -> list[str]:
        return [unit.code for unit in campaign.visible_recipients]


def _details(user) -> tuple[Prefetch, ...]:
    """What the schema reads, in a fixed number of queries; recipients limited to the subtree."""
    return (
        Prefetch("forms", queryset=CampaignForm.objects.select_related("form_version")),
        Prefetch("recipients", queryset=units_visible_to(user), to_attr="visible_recipients"),
    )


@router.get("", response=list[CampaignOut], summary="可见的活动")
def campaign_list(request: HttpRequest):
    user = request.auth
    return campaigns_visible_to(user).select_related("owner").prefetch_related(*_details(user))


@router.get(
    "/{campaign_id}", response={200: CampaignOut, **error_responses(404)}, summary="一个活动"
)
def campaign_detail(request: HttpRequest, campaign_id: int):
    campaign = campaign_for(request.auth, campaign_id)
    prefetch_related_objects([campaign], "owner", *_details(request.auth))
    return campaign
