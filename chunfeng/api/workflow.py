"""The review workflow of one report: submit, approve, return, reopen.

Each action answers the report as ``GET …/reports/{unit}/{form}`` does. The guards are the
workflow services' own: a wrong role or unit is 403, a report in the wrong state 409.
"""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from chunfeng.reports.models import Report
from chunfeng.reports.selectors import ReportSlot, report_slot_for
from chunfeng.reports.workflow import report_approve, report_reopen, report_return, report_submit

from .common import RecordId
from .errors import error_responses
from .reports import PATH, ReportOut, report_answer
from .values import StrictIn

router = Router(tags=["审核流程"])

RESPONSES = {200: ReportOut, **error_responses(400, 403, 404, 409, 422)}


class ReasonIn(StrictIn):
    reason: str = Field(description="原因（必填，将通知本单位填报员）")


class CommentIn(StrictIn):
    reason: str | None = Field(None, description="审核意见（可省略）")
    comment: str | None = Field(None, description="同 reason")


def _started(request: HttpRequest, campaign_id: RecordId, unit_code: str, form_code: str):
    slot = report_slot_for(request.auth, campaign_id, unit_code, form_code)
    if slot.report is None:
        raise Http404(
            _("%(unit)s尚未开始填写%(code)s，没有可操作的报表")
            % {"unit": slot.unit.name, "code": slot.campaign_form.code}
        )
    return slot


def _moved(slot: ReportSlot, report: Report) -> dict:
    return report_answer(dataclasses.replace(slot, report=report))


@router.post(f"{PATH}/submit", response=RESPONSES, summary="报送")
def submit(request: HttpRequest, campaign_id: RecordId, unit_code: str, form_code: str):
    """本单位填报员报送草稿或被退回的报表。报表须每空都已填写（没有数据填 0）、没有审核
    错误、每条警告都有说明，活动要求时还须已上传工作报告；否则返回 400（`not_ready`），
    `details` 逐条列出问题。"""
    slot = _started(request, campaign_id, unit_code, form_code)
    return _moved(slot, report_submit(report=slot.report, actor=request.auth))


@router.post(f"{PATH}/approve", response=RESPONSES, summary="审核通过")
def approve(
    request: HttpRequest,
    campaign_id: RecordId,
    unit_code: str,
    form_code: str,
    payload: CommentIn | None = None,
):
    """负责审核该单位的上级单位审核员通过已报送的报表；可附审核意见。"""
    slot = _started(request, campaign_id, unit_code, form_code)
    comment = (payload.reason or payload.comment or "") if payload else ""
    return _moved(slot, report_approve(report=slot.report, actor=request.auth, comment=comment))


@router.post(f"{PATH}/return", response=RESPONSES, summary="退回")
def return_(
    request: HttpRequest, campaign_id: RecordId, unit_code: str, form_code: str, payload: ReasonIn
):
    """审核员退回已报送的报表，须写明原因（空白时 400）；退回后填报员可修改并重新报送。"""
    slot = _started(request, campaign_id, unit_code, form_code)
    return _moved(slot, _with_reason(report_return, slot, request.auth, payload.reason))


@router.post(f"{PATH}/reopen", response=RESPONSES, summary="重新打开")
def reopen(
    request: HttpRequest, campaign_id: RecordId, unit_code: str, form_code: str, payload: ReasonIn
):
    """审核员重新打开已审核通过的报表（状态变为“已退回”），须写明原因（空白时 400）。"""
    slot = _started(request, campaign_id, unit_code, form_code)
    return _moved(slot, _with_reason(report_reopen, slot, request.auth, payload.reason))


def _with_reason(action, slot: ReportSlot, actor, reason: str) -> Report:
    return action(report=slot.report, actor=actor, reason=reason)
