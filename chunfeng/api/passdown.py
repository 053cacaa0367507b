"""下发: a unit that received a campaign passes it on to units below it with its own deadline
and notice; the tree of deadlines the caller may see."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from chunfeng.campaigns.models import PassDown
from chunfeng.campaigns.passdown import campaign_pass_down, deadline_tree
from chunfeng.campaigns.selectors import campaign_for
from chunfeng.core.errors import ApplicationError
from chunfeng.orgunits.selectors import unit_for, units_below

from .common import RecordId
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["活动"])


class PassDownIn(StrictIn):
    target: Literal["children", "grassroots", "picked"] = Field(
        description="children：全部直属下级单位；grassroots：下级全部基层工会；picked：units 所列单位"
    )
    units: list[str] = Field(default_factory=list, description="target 为 picked 时的单位代码")
    deadline: dt.date = Field(
        description="本级报送截止（YYYY-MM-DD），不能晚于本单位自己的截止日期"
    )
    notice: str = Field("", description="本级通知")
    unit: str | None = Field(
        None, description="下发的单位（默认调用者本单位；上级管理员可代下级下发）"
    )


class PassDownOut(Schema):
    campaign: int
    unit: str
    deadline: dt.date
    notice: str
    units: list[str] = Field(description="由本次及此前下发收到活动的单位代码")


class DeadlineRowOut(Schema):
    unit: str
    unit_name: str
    depth: int = Field(description="在发起单位之下的层数（发起单位为 0）")
    deadline: dt.date
    notice: str
    passed: int = Field(description="下发到的单位数")


@router.post(
    "/{campaign_id}/pass-down",
    response={201: PassDownOut, **error_responses(400, 403, 404, 422)},
    summary="向下级下发活动",
)
def pass_down(request: HttpRequest, campaign_id: RecordId, payload: PassDownIn):
    """收到活动的单位把活动下发给下级单位（全部直属下级、全部基层工会或逐个选择），并定本级的
    报送截止日期与通知。截止日期晚于本单位自己的截止日期时返回 400（`code` 为
    `late_deadline`）；再次下发时修改截止日期与通知并加上新的单位。下级单位的逾期与及时率
    以它收到的截止日期为准。只有该单位或上级单位的管理员、审核员可以下发（否则 403）。"""
    user = request.auth
    campaign = campaign_for(user, campaign_id)
    unit = unit_for(user, payload.unit) if payload.unit else user.unit
    pd = campaign_pass_down(
        campaign=campaign,
        unit=unit,
        actor=user,
        target=payload.target,
        deadline=payload.deadline,
        notice=payload.notice,
        picked=_picked(user, payload.units) if payload.target == "picked" else [],
    )
    return Status(201, _answer(pd))


def _picked(user, codes: list[str]):
    found = units_below(user, codes)
    bad = [c for c in codes if c not in found]
    if bad:
        raise ApplicationError(
            "以下单位代码不存在或不在管辖范围内：" + "、".join(bad),
            code="bad_units",
            details=[{"field": "units", "message": f"{c}：不是下级单位"} for c in bad],
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _answer(pd: PassDown) -> dict:
    return {
        "campaign": pd.campaign_id,
        "unit": pd.unit.code,
        "deadline": pd.deadline,
        "notice": pd.notice,
        "units": sorted(u.code for u in pd.units.all()),
    }


@router.get(
    "/{campaign_id}/deadlines",
    response={200: list[DeadlineRowOut], **error_responses(404)},
    summary="各级报送截止日期",
)
def deadlines(request: HttpRequest, campaign_id: RecordId):
    """活动的截止日期树：发起单位的截止日期，以及调用者本单位及下级、上级各单位下发时定的
    截止日期与通知，按树的顺序。"""
    user = request.auth
    campaign = campaign_for(user, campaign_id)
    return [
        {
            "unit": row.unit.code,
            "unit_name": row.unit.name,
            "depth": row.depth,
            "deadline": row.deadline,
            "notice": row.notice,
            "passed": row.passed,
        }
        for row in deadline_tree(user, campaign)
    ]
