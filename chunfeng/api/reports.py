"""One unit's report for one campaign form: read it, or save the whole set of values."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from chunfeng.formdefs.values import format_value
from chunfeng.reports.selectors import (
    ReportSlot,
    report_checks,
    report_slot_for,
    report_values,
)
from chunfeng.reports.services import report_readiness, report_save

from .common import RecordId, if_match_header, read_version, send_version
from .errors import error_responses
from .values import CheckFailureOut, RawValue, StrictIn

router = Router(tags=["报表"])

PATH = "/campaigns/{campaign_id}/reports/{unit_code}/{form_code}"
NOT_STARTED = "not_started"


class HeaderOut(Schema):
    filler_name: str
    filler_phone: str
    fill_date: dt.date | None


class ReportOut(Schema):
    campaign: int
    unit: str
    form: str
    filing: str = Field(
        description="filed：报送的报表（合计，本单位及下级的数字；活动发起单位的为最终报表）；"
        "own：本级数字（本单位自身开展的工作，不单独上报）"
    )
    final: bool = Field(description="是否活动发起单位的最终报表（结束活动时定稿）")
    version: int = Field(description="表单定义的版本（不是报表的版本：报表的版本见响应头 ETag）")
    status: str = Field(
        description="draft / submitted / returned / approved；尚无报表时为 not_started"
    )
    values: dict[str, str] = Field(description="已填项的规范文本（如万元“12.3400”），未填项不出现")
    explanations: dict[str, str] = Field(description="警告规则编号 → 说明")
    header: HeaderOut
    errors: list[CheckFailureOut]
    warnings: list[CheckFailureOut]


class ReadinessOut(Schema):
    ready: bool
    empty: list[str]
    errors: int
    unexplained: list[str]


class ReportSavedOut(ReportOut):
    readiness: ReadinessOut


class HeaderIn(StrictIn):
    filler_name: str | None = None
    filler_phone: str | None = None
    fill_date: str | None = Field(None, description="YYYY-MM-DD；空则清除")


class ReportIn(StrictIn):
    values: dict[str, RawValue] = Field(description="本表全部填报项的值；未列出的项将被清空")
    explanations: dict[str, str] | None = Field(
        None, description="警告规则编号 → 说明；省略则保留原有说明，给出则整体替换"
    )
    header: HeaderIn | None = Field(None, description="表头；只修改给出的项")


@router.get(PATH, response={200: ReportOut, **error_responses(404)}, summary="读取报表")
def report_get(
    request: HttpRequest,
    response: HttpResponse,
    campaign_id: RecordId,
    unit_code: str,
    form_code: str,
):
    """报表的已填值、说明、表头与审核结果；尚未填写时 status 为 not_started。

    响应头 `ETag` 是报表的版本（尚未填写时为 `"0"`）：保存（PUT）时放在 `If-Match` 中送回。"""
    slot = report_slot_for(request.auth, campaign_id, unit_code, form_code)
    send_version(response, slot.report.version if slot.report else 0)
    return report_answer(slot)


@router.get(
    PATH + "/own", response={200: ReportOut, **error_responses(404)}, summary="读取本级数字"
)
def own_get(
    request: HttpRequest,
    response: HttpResponse,
    campaign_id: RecordId,
    unit_code: str,
    form_code: str,
):
    """汇总单位（下面有报送单位的单位，含活动发起单位）的本级数字：与报表同样的填报项和审核规则，
    不单独上报；本单位的合计 = 本级 + 下级合计（见汇总）。下面没有报送单位的单位为 404。
    响应头 `ETag` 与报表相同用法。"""
    slot = report_slot_for(request.auth, campaign_id, unit_code, form_code, own=True)
    send_version(response, slot.report.version if slot.report else 0)
    return report_answer(slot)


@router.put(
    PATH + "/own",
    response={200: ReportSavedOut, **error_responses(400, 403, 404, 409, 422)},
    summary="保存本级数字（整体替换）",
)
def own_put(
    request: HttpRequest,
    response: HttpResponse,
    campaign_id: RecordId,
    unit_code: str,
    form_code: str,
    payload: ReportIn,
    if_match: str | None = if_match_header(),
):
    """与保存报表相同（整体替换、逐项报错、`If-Match`/409），只有本单位的填报员可以保存；
    本单位的合计报表已报送或已审核通过（活动发起单位：活动已结束）后不能再改（403）。"""
    return _save(request, response, campaign_id, unit_code, form_code, payload, if_match, True)


@router.put(
    PATH,
    response={200: ReportSavedOut, **error_responses(400, 403, 404, 409, 422)},
    summary="保存报表（整体替换）",
)
def report_put(
    request: HttpRequest,
    response: HttpResponse,
    campaign_id: RecordId,
    unit_code: str,
    form_code: str,
    payload: ReportIn,
    if_match: str | None = if_match_header(),
):
    """整体替换本报表的填报值：`values` 应包含全部填报项，未列出的项将被清空（不是置 0）。

    任何一项有误（未知代码、类型不符、负数、小数位过多、数值过大）时返回 400，`details`
    逐项列出，且不保存任何内容。只有本单位的填报员可以保存（否则 403）。

    带 `If-Match`（读取时的 `ETag`）时，若报表此后已被他人保存，返回 409（`code` 为 `stale`），
    `details` 逐项列出现存值与您提交的值不同的填报项（`field` 为填报项代码），不保存任何内容；
    请重新读取，核对后再保存。不带 `If-Match` 时照旧保存。响应头 `ETag` 是保存后的版本。
    """
    return _save(request, response, campaign_id, unit_code, form_code, payload, if_match, False)


def _save(request, response, campaign_id, unit_code, form_code, payload, if_match, own: bool):
    user = request.auth
    slot = report_slot_for(user, campaign_id, unit_code, form_code, own=own)
    header = payload.header.model_dump(exclude_unset=True) if payload.header else None
    report, _outcome = report_save(
        slot=slot,
        actor=user,
        values=payload.values,
        explanations=payload.explanations,
        header=header,
        version=read_version(if_match),
    )
    send_version(response, report.version)
    return report_answer(dataclasses.replace(slot, report=report), with_readiness=True)


def report_answer(slot: ReportSlot, *, with_readiness: bool = False) -> dict:
    definition, report = slot.definition, slot.report
    values = report_values(report, definition)
    outcome = report_checks(
        definition, values, campaign_id=slot.campaign.pk, unit=slot.unit, own=slot.own
    )
    explanations = dict(report.explanations) if report else {}
    answer = {
        "campaign": slot.campaign.pk,
        "unit": slot.unit.code,
        "form": slot.campaign_form.code,
        "filing": slot.kind,
        "final": slot.is_final,
        "version": definition.version,
        "status": report.status if report else NOT_STARTED,
        "values": {
            code: format_value(blank, values[code])
            for code, blank in definition.blanks.items()
            if values.get(code) is not None
        },
        "explanations": explanations,
        "header": _header(report),
        **outcome.as_dict(),
    }
    if with_readiness:
        readiness = report_readiness(definition, values, explanations, outcome)
        answer["readiness"] = {
            "ready": readiness.ready,
            "empty": list(readiness.empty),
            "errors": readiness.errors,
            "unexplained": list(readiness.unexplained),
        }
    return answer


def _header(report) -> dict:
    if report is None:
        return {"filler_name": "", "filler_phone": "", "fill_date": None}
    return {
        "filler_name": report.filler_name,
        "filler_phone": report.filler_phone,
        "fill_date": report.fill_date,
    }
