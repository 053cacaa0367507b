"""汇总: the exact totals of the reports filed below a unit, per blank, as canonical text."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from chunfeng.campaigns.selectors import campaign_for, campaign_form
from chunfeng.core.errors import ApplicationError
from chunfeng.formdefs.values import format_value
from chunfeng.orgunits.selectors import unit_for
from chunfeng.rollups.selectors import INCLUDE, summary_for

from .errors import error_responses
from .values import CheckFailureOut

router = Router(tags=["汇总"])


class SummaryOut(Schema):
    values: dict[str, str] = Field(
        description="填报项代码 → 合计的规范文本：人数等为整数（“12”），万元 4 位小数，"
        "元 2 位小数，是/否项为回答“是”的单位数；没有任何单位填写的项不出现"
    )
    units: list[str] = Field(description="计入合计的单位代码")
    missing: list[str] = Field(description="应计入但报表尚未达到所选状态的单位代码")
    errors: list[CheckFailureOut] = Field(description="合计未通过的审核规则（错误）")
    warnings: list[CheckFailureOut] = Field(description="合计未通过的审核规则（警告）")


@router.get(
    "/campaigns/{campaign_id}/summary/{unit_code}/{form_code}",
    response={200: SummaryOut, **error_responses(400, 404)},
    summary="汇总",
)
def summary(
    request: HttpRequest,
    campaign_id: int,
    unit_code: str,
    form_code: str,
    status: str = "approved",
):
    """`unit_code` 下级最上层报送单位的报表之和（不重复计算）。`status=approved`（默认）只计
    审核通过的报表，`status=submitted` 也计已报送待审核的报表。"""
    if status not in INCLUDE:
        message = f"status 只能是 {' 或 '.join(INCLUDE)}，不能是“{status}”"
        raise ApplicationError(
            message, code="bad_parameter", details=[{"field": "status", "message": message}]
        )
    user = request.auth
    campaign = campaign_for(user, campaign_id)
    unit = unit_for(user, unit_code)
    found = summary_for(campaign, unit, campaign_form(campaign, form_code), status)
    blanks = found.definition.blanks
    return {
        "values": {
            code: str(total) if blanks[code].type == "yesno" else format_value(blanks[code], total)
            for code, total in found.values.items()
        },
        "units": [u.code for u in found.included],
        "missing": [u.code for u in found.missing],
        **found.outcome.as_dict(),
    }
