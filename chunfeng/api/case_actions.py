"""The moves of a 12351 case through the API: acknowledge, transfer, log, extension and its
decision, close, return visit, reopen, and the figures of a unit and period. Each answers the
case (with its ``ETag``); ``If-Match`` with an older version is 409."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from chunfeng.cases.figures import case_figures
from chunfeng.cases.handling import (
    case_close,
    case_reopen,
    case_return_visit,
    extension_decide,
    extension_request,
)
from chunfeng.cases.models import Outcome, Satisfaction
from chunfeng.cases.selectors import case_for, extension_for
from chunfeng.cases.services import case_acknowledge, case_log, case_transfer
from chunfeng.orgunits.selectors import unit_for

from .cases import WRITE_ERRORS, CaseOut, _expected, _tagged, case_answer
from .common import RecordId, money
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["12351工单"])


def _answer(request, response, case):
    _tagged(response, case)
    return case_answer(case, request.auth)


@router.post("/{int:case_id}/acknowledge", response={200: CaseOut, **WRITE_ERRORS}, summary="签收")
def case_acknowledge_endpoint(request: HttpRequest, response: HttpResponse, case_id: RecordId):
    case = case_for(request.auth, case_id)
    case = case_acknowledge(case=case, actor=request.auth, version=_expected(request))
    return _answer(request, response, case)


class CaseTransferIn(StrictIn):
    unit: str = Field(description="接收单位代码：本单位的下级，或退回承办单位的上级")
    reason: str


@router.post("/{int:case_id}/transfer", response={200: CaseOut, **WRITE_ERRORS}, summary="转办")
def case_transfer_endpoint(
    request: HttpRequest, response: HttpResponse, case_id: RecordId, payload: CaseTransferIn
):
    user = request.auth
    case = case_for(user, case_id)
    parent = case.unit.parent
    back_up = parent is not None and payload.unit == parent.code
    to = parent if back_up else unit_for(user, payload.unit)
    case = case_transfer(
        case=case, to=to, reason=payload.reason, actor=user, version=_expected(request)
    )
    return _answer(request, response, case)


class CaseLogIn(StrictIn):
    kind: str = Field(description="call/visit/mediation/legal_aid/inspection/referral/note")
    text: str
    on: dt.date | None = Field(None, description="日期，默认今天")


@router.post("/{int:case_id}/log", response={200: CaseOut, **WRITE_ERRORS}, summary="记录办理情况")
def case_log_endpoint(
    request: HttpRequest, response: HttpResponse, case_id: RecordId, payload: CaseLogIn
):
    case = case_for(request.auth, case_id)
    case_log(case=case, actor=request.auth, kind=payload.kind, text=payload.text, on=payload.on)
    return _answer(request, response, case_for(request.auth, case_id))


class CaseExtensionIn(StrictIn):
    days: int = Field(description="延期工作日 1～30")
    reason: str


class CaseExtensionOut(Schema):
    id: int
    days: int
    reason: str
    status: str = Field(description="pending / approved / refused")
    decision_note: str


def _extension(extension) -> dict:
    return {k: getattr(extension, k) for k in ("id", "days", "reason", "status", "decision_note")}


@router.post(
    "/{int:case_id}/extensions",
    response={201: CaseExtensionOut, **WRITE_ERRORS},
    summary="申请延期",
)
def case_extend_endpoint(request: HttpRequest, case_id: RecordId, payload: CaseExtensionIn):
    case = case_for(request.auth, case_id)
    extension = extension_request(
        case=case, days=payload.days, reason=payload.reason, actor=request.auth
    )
    return Status(201, _extension(extension))


class CaseDecisionIn(StrictIn):
    approve: bool
    note: str = ""


@router.post(
    "/{int:case_id}/extensions/{int:extension_id}/decide",
    response={200: CaseExtensionOut, **WRITE_ERRORS},
    summary="审批延期（上级工会）",
)
def case_decide_endpoint(
    request: HttpRequest, case_id: RecordId, extension_id: RecordId, payload: CaseDecisionIn
):
    extension = extension_for(case_for(request.auth, case_id), extension_id)
    extension = extension_decide(
        extension=extension, approve=payload.approve, note=payload.note, actor=request.auth
    )
    return _extension(extension)


class CaseCloseIn(StrictIn):
    outcome: str = Field(description="/".join(Outcome.values))
    note: str = Field("", description="部分解决、未解决时必填")
    recovered: Decimal | str = Field("0", description="为职工追回金额（元）")


@router.post("/{int:case_id}/close", response={200: CaseOut, **WRITE_ERRORS}, summary="办结")
def case_close_endpoint(
    request: HttpRequest, response: HttpResponse, case_id: RecordId, payload: CaseCloseIn
):
    case = case_close(
        case=case_for(request.auth, case_id),
        actor=request.auth,
        version=_expected(request),
        **payload.model_dump(),
    )
    return _answer(request, response, case)


class CaseVisitIn(StrictIn):
    satisfaction: str = Field(description="/".join(Satisfaction.values))
    note: str = ""
    on: dt.date | None = None


@router.post("/{int:case_id}/return-visit", response={200: CaseOut, **WRITE_ERRORS}, summary="回访")
def case_return_visit_endpoint(
    request: HttpRequest, response: HttpResponse, case_id: RecordId, payload: CaseVisitIn
):
    case_return_visit(
        case=case_for(request.auth, case_id), actor=request.auth, **payload.model_dump()
    )
    return _answer(request, response, case_for(request.auth, case_id))


class CaseReopenIn(StrictIn):
    reason: str


@router.post("/{int:case_id}/reopen", response={200: CaseOut, **WRITE_ERRORS}, summary="重新办理")
def case_reopen_endpoint(
    request: HttpRequest, response: HttpResponse, case_id: RecordId, payload: CaseReopenIn
):
    case = case_reopen(
        case=case_for(request.auth, case_id),
        reason=payload.reason,
        actor=request.auth,
        version=_expected(request),
    )
    return _answer(request, response, case)


class CaseCountOut(Schema):
    value: str
    label: str
    count: int


class CaseFiguresOut(Schema):
    unit: str
    start: dt.date
    end: dt.date
    total: int
    workers: int
    by_type: list[CaseCountOut]
    by_category: list[CaseCountOut]
    by_status: list[CaseCountOut]
    closed: int
    on_time: int
    on_time_rate: str | None = Field(description="按时办结率（%，一位小数）")
    overdue: int
    visited: int
    satisfied: int
    satisfaction_rate: str | None
    recovered: str = Field(description="为职工追回金额（元）")
    cross_region: int
    birth_year_unknown: int = Field(description="出生年份不详的农民工来电人（不计入新生代）")


COUNTED = (
    "start",
    "end",
    "total",
    "workers",
    "closed",
    "on_time",
    "overdue",
    "visited",
    "satisfied",
    "cross_region",
    "birth_year_unknown",
)


def _counts(rows) -> list[dict]:
    return [{"value": v, "label": label, "count": n} for v, label, n in rows]


def _rate(value) -> str | None:
    return None if value is None else str(value)


@router.get("/figures", response={200: CaseFiguresOut, **error_responses(404)}, summary="工单统计")
def case_figures_endpoint(
    request: HttpRequest, start: dt.date, end: dt.date, unit: str | None = None
):
    """`unit`（默认本单位）及其下级在 `start`～`end` 受理的工单：按类型、类别、状态，按时办结率，
    超期、满意度、追回金额。"""
    user = request.auth
    target = unit_for(user, unit or (user.unit.code if user.unit_id else ""))
    f = case_figures(target, start, end, timezone.localdate())
    return {
        **{k: getattr(f, k) for k in COUNTED},
        "unit": target.code,
        "by_type": _counts(f.by_type),
        "by_category": _counts(f.by_category),
        "by_status": _counts(f.by_status),
        "on_time_rate": _rate(f.on_time_rate),
        "satisfaction_rate": _rate(f.satisfaction_rate),
        "recovered": money(f.recovered),
    }
