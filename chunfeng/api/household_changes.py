"""Four eyes on a household's bank account and ID number through the API: the changes asked
(by a PATCH of ``bank_account`` or ``id_number``) that wait for a reviewer, and the reviewer's
approval or rejection. Reviewers of the keeping union or above decide (403 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from chunfeng.register.changes import change_approve, change_reject
from chunfeng.register.selectors import change_for, changes_waiting

from .common import RecordId
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["困难职工档案"])


class ChangeOut(Schema):
    id: int
    household: int
    unit: str = Field(description="建档单位代码")
    field: str = Field(description="bank_account 银行卡号 / id_number 身份证号码")
    value: str = Field(description="申请改为的号码（掩码）")
    status: str = Field(description="pending 待审核 / approved 已批准 / rejected 已驳回")
    requested_by: str | None
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str = Field(description="审核意见（驳回时必有）")


def change_answer(change) -> dict:
    return {
        "id": change.pk,
        "household": change.household_id,
        "unit": change.household.unit.code,
        "field": change.field,
        "value": change.masked,
        "status": change.status,
        "requested_by": change.requested_by.username if change.requested_by else None,
        "requested_at": change.requested_at,
        "decided_by": change.decided_by.username if change.decided_by else None,
        "decided_at": change.decided_at,
        "reason": change.reason,
    }


@router.get("/changes", response={200: list[ChangeOut]}, summary="待审核的号码变更")
def change_list(request: HttpRequest):
    """本单位及下级单位待审核的银行卡号、身份证号码变更，早提交的在前（号码为掩码）。"""
    return [change_answer(c) for c in changes_waiting(request.auth)[:1000]]


class DecisionIn(StrictIn):
    reason: str = Field("", description="审核意见；驳回时必填")


DECISION_ERRORS = error_responses(400, 403, 404, 409, 422)


@router.post(
    "/changes/{int:change_id}/approve",
    response={200: ChangeOut, **DECISION_ERRORS},
    summary="批准号码变更",
)
def approve(request: HttpRequest, change_id: RecordId, payload: DecisionIn):
    """批准后新号码改入档案（身份证号码同时更新一户一档登记与性别、出生日期），档案版本加 1。
    已审核过的返回 409；新身份证号码此间已在别处建档时返回 400。"""
    user = request.auth
    change = change_approve(change=change_for(user, change_id), reason=payload.reason, actor=user)
    return change_answer(change)


@router.post(
    "/changes/{int:change_id}/reject",
    response={200: ChangeOut, **DECISION_ERRORS},
    summary="驳回号码变更",
)
def reject(request: HttpRequest, change_id: RecordId, payload: DecisionIn):
    """驳回须填写理由（否则 400）；档案不变。已审核过的返回 409。"""
    user = request.auth
    change = change_reject(change=change_for(user, change_id), reason=payload.reason, actor=user)
    return change_answer(change)
