"""Campaigns the caller's unit owns or reports to (recipients shown only within its subtree):
list, read, create (who has reported how far: ``api/completeness.py``; 下发: ``api/passdown.py``)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.selectors import (
    campaign_for,
    campaign_with_details,
    campaigns_with_details,
)
from chunfeng.campaigns.services import campaign_create
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_launch_campaign
from chunfeng.formdefs.selectors import known_form_codes
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import units_below

from .common import RecordId
from .errors import error_responses
from .values import StrictIn

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
    spring_festival: dt.date = Field(
        description="活动所在的春节（农历正月初一，由农历计算）；通知的活动期“至春节前”即其前一天，"
        "活动期外的发放和走访不予登记"
    )
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


@router.get("", response=list[CampaignOut], summary="可见的活动")
def campaign_list(request: HttpRequest):
    return campaigns_with_details(request.auth)


@router.get(
    "/{campaign_id}", response={200: CampaignOut, **error_responses(404)}, summary="一个活动"
)
def campaign_detail(request: HttpRequest, campaign_id: RecordId):
    return campaign_with_details(request.auth, campaign_for(request.auth, campaign_id))


class CampaignIn(StrictIn):
    name: str = Field(description="活动名称")
    period_start: dt.date = Field(description="活动开始（YYYY-MM-DD）")
    period_end: dt.date = Field(description="活动结束，不早于开始")
    deadline: dt.date = Field(description="报送截止，不早于活动开始")
    forms: list[str] | dict[str, dt.date | None] = Field(
        description='表单代码列表，如 ["F1", "F2"]；或 代码 → 统计截止日期（null：活动期间）'
    )
    recipients: list[str] = Field(description="报送单位代码：本单位的下级单位")
    notice: str = Field("", description="通知正文")
    requires_work_report: bool = Field(True, description="报送前须上传工作报告")


@router.post(
    "",
    response={201: CampaignOut, **error_responses(400, 403, 422)},
    summary="发起活动",
)
def campaign_new(request: HttpRequest, payload: CampaignIn):
    """本单位管理员发起活动，本单位为发起单位。报送单位须为本单位的下级单位；不存在或
    不在管辖范围内的单位代码、未知的表单代码、顺序不对的日期都返回 400。"""
    user = request.auth
    if user.unit_id is None or not can_launch_campaign(user, user.unit):
        raise NotPermitted(_("只有管理员可以发起活动"))  # before the recipients are looked up
    forms = dict.fromkeys(payload.forms) if isinstance(payload.forms, list) else dict(payload.forms)
    recipients = _recipients(user, payload.recipients)
    _check_forms(forms)
    campaign = campaign_create(
        owner=user.unit,
        name=payload.name,
        period_start=payload.period_start,
        period_end=payload.period_end,
        deadline=payload.deadline,
        forms=forms,
        recipients=recipients,
        actor=user,
        notice=payload.notice,
        requires_work_report=payload.requires_work_report,
    )
    return Status(201, campaign_with_details(user, campaign))


def _recipients(user, codes: list[str]) -> list[OrgUnit]:
    """The units below the caller's own; every other code is refused alike, so that the answer
    never tells whether a unit outside the caller's subtree exists."""
    codes = list(dict.fromkeys(codes))
    found = units_below(user, codes)
    bad = [c for c in codes if c not in found]
    if bad:
        raise ApplicationError(
            f"报送单位须为{user.unit.name}的下级单位，以下代码不存在或不在管辖范围内："
            + "、".join(bad),
            code="bad_recipients",
            details=[{"field": "recipients", "message": f"{c}：不是下级单位"} for c in bad],
        )
    retired = [c for c in codes if not found[c].active]
    if retired:
        raise ApplicationError(
            "以下报送单位已撤销：" + "、".join(retired),
            code="bad_recipients",
            details=[{"field": "recipients", "message": f"{c}：已撤销"} for c in retired],
        )
    return [found[c] for c in codes]


def _check_forms(forms: dict) -> None:
    known = known_form_codes(forms)
    unknown = [code for code in forms if code not in known]
    if unknown:
        raise ApplicationError(
            "没有以下表单：" + "、".join(unknown),
            code="unknown_form",
            details=[{"field": "forms", "message": f"{c}：没有这张表单"} for c in unknown],
        )
