"""汇总: the exact totals of the reports filed below a unit, per blank, as canonical text."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from chunfeng.campaigns.selectors import campaign_for, campaign_form
from chunfeng.core.errors import ApplicationError
from chunfeng.formdefs.values import format_value
from chunfeng.orgunits.selectors import unit_for
from chunfeng.rollups.branches import INDUSTRY, TERRITORY
from chunfeng.rollups.per_unit import branch_codes, unit_codes
from chunfeng.rollups.selectors import INCLUDE, summary_for
from chunfeng.rollups.services import campaign_close

from .common import RecordId
from .errors import error_responses
from .values import CheckFailureOut

router = Router(tags=["汇总"])


class BlankSplitOut(Schema):
    own: str | None = Field(description="本级（本单位自身的数字），未填为 null")
    children: str | None = Field(description="下级合计（按合计规则相加各分支），无为 null")
    total: str | None = Field(description="合计 = 本级 + 下级合计")
    territory: str | None = Field(description="属地分支（区市县等）下级报表之和")
    industry: str | None = Field(description="产业分支（产业工会）下级报表之和")
    rule: str = Field(
        description="合计规则：both（两分支相加）、territory（只计属地分支，产业与之重叠）、"
        "industry（只计产业分支）；本单位下面只有一个分支时为 both"
    )
    rule_label: str = Field(description="合计规则的中文说明")


class SummaryOut(Schema):
    values: dict[str, str] = Field(
        description="填报项代码 → 合计（本级 + 下级合计）的规范文本：人数等为整数（“12”），"
        "万元 4 位小数，元 2 位小数，是/否项为回答“是”的单位数（本级答“是”计 1）；"
        "本级和下级都没有填写的项不出现"
    )
    blanks: dict[str, BlankSplitOut] = Field(
        description="填报项代码 → 本级（own）、下级合计（children）、合计（total）、两分支及合计规则"
    )
    branches: dict[str, list[str]] = Field(
        description="分支 → 其中最上层报送单位代码：territory 属地、industry 产业"
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
    campaign_id: RecordId,
    unit_code: str,
    form_code: str,
    status: str = "approved",
):
    """`unit_code` 的合计 = 本级 + 下级合计：下级合计是其下最上层报送单位的报表之和（不重复
    计算），属地（区市县）和产业（产业工会）两个分支按表单定义的合计规则相加（如 01–03 项只计
    属地）。`status=approved`（默认）只计审核通过的报表，`status=submitted` 也计已报送待审核的
    报表；本级数字不论状态都计入。"""
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

    def text(code: str, value) -> str | None:
        if value is None:
            return None
        return (
            str(int(value)) if blanks[code].type == "yesno" else format_value(blanks[code], value)
        )

    split = found.split
    return {
        "values": {code: text(code, total) for code, total in found.values.items()},
        "blanks": {
            code: {
                "own": text(code, split.own.get(code)),
                "children": text(code, split.children.get(code)),
                "total": text(code, split.total.get(code)),
                "territory": text(code, split.branches[TERRITORY].get(code)),
                "industry": text(code, split.branches[INDUSTRY].get(code)),
                "rule": split.rules[code],
                "rule_label": split.rule_label(code),
            }
            for code in blanks
        },
        "branches": {TERRITORY: [], INDUSTRY: [], **branch_codes(found)},
        "units": unit_codes(found.included),
        "missing": unit_codes(found.missing),
        **found.outcome.as_dict(),
    }


class ClosedOut(Schema):
    campaign: int
    finals: list[str] = Field(description="已定稿的最终报表的表单代码")


@router.post(
    "/campaigns/{campaign_id}/close",
    response={200: ClosedOut, **error_responses(400, 403, 404)},
    summary="结束活动（最终报表定稿）",
)
def close(request: HttpRequest, campaign_id: RecordId):
    """活动发起单位的审核员或管理员结束活动：每张表的最终报表按本级 + 下级合计（合计规则）
    写入并定稿（已审核通过，不能再改），可打印、导出（`GET …/reports/{发起单位}/{表单}`）。
    还有报表未审核通过时 400（`not_complete`，`details` 列出单位）。"""
    user = request.auth
    campaign = campaign_for(user, campaign_id)
    finals = campaign_close(campaign=campaign, actor=user)
    return {"campaign": campaign.pk, "finals": [f.campaign_form.code for f in finals]}
