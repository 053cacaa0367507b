"""Hardship applications through the API: create, list, read, amend a returned one, the steps
(初审, 入户调查, review, 经济状况核对, 公示, approval, return, resubmit), objections, documents,
and the yearly reviews of the files (due and overdue, a review) and the standards.

Every application is reached through ``applications_visible_to`` / ``application_for``
(outside the caller's subtree: 404); the steps are the workflow's (403 where the rulebook says
no, 409 from the wrong status or an older ``If-Match``). ID, bank and phone numbers are masked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field

from chunfeng.applications import workflow as w
from chunfeng.applications.filing import application_approve
from chunfeng.applications.models import Status as S
from chunfeng.applications.selectors import (
    application_for,
    applications_filtered,
    document_for,
    objection_for,
)
from chunfeng.applications.services import (
    DOCUMENT_LIMIT,
    application_amend,
    application_create,
    document_add,
)
from chunfeng.core.errors import NotPermitted
from chunfeng.core.rules import can_handle_application
from chunfeng.core.uploads import upload_route
from chunfeng.orgunits.selectors import unit_for

from .application_answers import ApplicationOut, ApplicationPageOut, answer
from .common import (
    RecordId,
    bad_parameter,
    choice,
    if_match_header,
    multipart_file,
    page_of,
    read_version,
    send_version,
    uploaded_file,
)
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["建档申请与动态管理"])
upload_route("api:application-document", DOCUMENT_LIMIT)
READ_ERRORS = error_responses(400, 404)
WRITE_ERRORS = error_responses(400, 403, 404, 409, 422)


def _one(request, response, pk: RecordId) -> dict:
    a = application_for(request.auth, pk)
    send_version(response, a.version)
    return answer(a)


@router.get("", response={200: ApplicationPageOut, **READ_ERRORS}, summary="建档申请列表")
def application_list(
    request: HttpRequest,
    status: str | None = None,
    unit: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    """本单位及下级受理的申请，新的在前；`status` 筛选，`unit` 限定为该单位及其下级。"""
    user = request.auth
    if unit:
        unit_for(user, unit)  # 404 outside the caller's subtree
    found = applications_filtered(
        user, status=choice("status", status, S.values) or "", unit_code=unit or ""
    )
    rows, count = page_of(found, page, page_size)
    items = [answer(a, full=False) for a in rows]
    return {"count": count, "page": page, "page_size": page_size, "items": items}


class MemberIn(StrictIn):
    name: str
    relation: str
    id_number: str = ""
    health: str = ""
    school: str = ""
    work: str = ""


class IncomeIn(StrictIn):
    item: str
    amount: Decimal | str


class ApplicationIn(StrictIn):
    unit: str | None = Field(None, description="受理的基层工会代码；默认本单位")
    name: str
    id_number: str
    phone: str = ""
    region_code: str = Field(description="所在区（县）6 位行政区划代码")
    street: str = ""
    address: str
    employer: str = ""
    employer_uscc: str = Field("", description="统一社会信用代码（18 位）")
    post: str = ""
    members: list[MemberIn] = []
    income_items: list[IncomeIn] = Field([], description="家庭每月各项收入（元）")
    main_cause: str
    other_causes: list[str] = []
    is_migrant: bool = False
    is_model_worker: bool = False
    bank_name: str = ""
    bank_account: str = ""
    category: str = Field(description="B / C / D；与收入、致困原因不符时须填 explanation")
    explanation: str = ""


def _data(payload: ApplicationIn) -> dict:
    data = payload.model_dump(exclude={"unit"})
    for item in data["income_items"]:
        item["amount"] = str(item["amount"])
    return data


@router.post("", response={201: ApplicationOut, **WRITE_ERRORS}, summary="提交建档申请")
def application_new(request: HttpRequest, response: HttpResponse, payload: ApplicationIn):
    """基层工会代职工提交；`category` 与收入和致困原因不符且无 `explanation` 时 400
    （code `category_unsupported`）。"""
    user = request.auth
    if user.unit_id is None:
        raise NotPermitted(_("您不属于任何单位"))
    unit = unit_for(user, payload.unit) if payload.unit else user.unit
    a = application_create(unit=unit, data=_data(payload), actor=user)
    send_version(response, a.version)
    return Status(201, answer(application_for(user, a.pk)))


@router.get(
    "/{int:application_id}", response={200: ApplicationOut, **READ_ERRORS}, summary="一份申请"
)
def application_get(request: HttpRequest, response: HttpResponse, application_id: RecordId):
    return _one(request, response, application_id)


@router.put(
    "/{int:application_id}",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="修改退回的申请",
)
def application_change(
    request: HttpRequest,
    response: HttpResponse,
    application_id: RecordId,
    payload: ApplicationIn,
    if_match: str | None = if_match_header(),
):
    user = request.auth
    a = application_for(user, application_id)
    application_amend(
        application=a, data=_data(payload), actor=user, version=read_version(if_match)
    )
    return _one(request, response, application_id)


class StepIn(StrictIn):
    note: str = ""
    reason: str = Field("", description="return：退回原因（必填）")
    visited_on: dt.date | None = Field(None, description="visit：调查日期")
    visitors: str = Field("", description="visit：调查人员")
    findings: str = Field("", description="visit：调查情况")
    matched: bool | None = Field(None, description="verify：核对结果是否相符")
    reference: str = Field("", description="verify：民政核对报告编号")
    start: dt.date | None = Field(None, description="notice：公示开始日期，默认今天")
    on: dt.date | None = Field(None, description="approve：审批日期，默认今天")


ACTIONS = ("check", "visit", "review", "verify", "notice", "approve", "return", "resubmit")


def _visited_on(p: StepIn) -> dt.date:
    if p.visited_on is None:
        raise bad_parameter("visited_on", "请填写入户调查日期")
    return p.visited_on


def _take(action: str, a, user, p: StepIn, version):
    step = {
        "check": lambda: w.application_check(application=a, actor=user, note=p.note, version=version),
        "visit": lambda: w.application_visit(
            application=a, actor=user, visited_on=_visited_on(p),
            visitors=p.visitors, findings=p.findings, version=version),
        "review": lambda: w.application_review(application=a, actor=user, note=p.note, version=version),
        "verify": lambda: w.application_verify(
            application=a, actor=user, matched=bool(p.matched), reference=p.reference,
            note=p.note, version=version),
        "notice": lambda: w.application_notice(application=a, actor=user, start=p.start, version=version),
        "approve": lambda: application_approve(
            application=a, actor=user, on=p.on, note=p.note, version=version),
        "return": lambda: w.application_return(application=a, actor=user, reason=p.reason, version=version),
        "resubmit": lambda: w.application_resubmit(application=a, actor=user, note=p.note, version=version),
    }  # fmt: skip
    return step[action]()


@router.post(
    "/{int:application_id}/steps/{action}",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="办理一步",
)
def application_step(
    request: HttpRequest,
    response: HttpResponse,
    application_id: RecordId,
    action: str,
    payload: StepIn,
    if_match: str | None = if_match_header(),
):
    """`action`：check 初审通过（基层工会）、visit 入户调查并报上级（基层工会；须先上传
    signed 与 consent 材料）、review 审核通过、verify 经济状况核对（不相符时退回）、notice
    开始公示（上级帮扶中心）、approve 公示期满后审批建档（上级审核员）、return 退回（当前
    这一步的办理人）、resubmit 重新提交（基层工会）。"""
    user = request.auth
    a = application_for(user, application_id)
    _take(choice("action", action, ACTIONS) or "", a, user, payload, read_version(if_match))
    return _one(request, response, application_id)


class ObjectionIn(StrictIn):
    received_on: dt.date
    text: str


@router.post(
    "/{int:application_id}/objections",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="登记公示异议",
)
def objection_new(request, response: HttpResponse, application_id: RecordId, payload: ObjectionIn):
    a = application_for(request.auth, application_id)
    w.objection_add(application=a, actor=request.auth, **payload.model_dump())
    return _one(request, response, application_id)


class ResolveIn(StrictIn):
    upheld: bool
    resolution: str


@router.post(
    "/{int:application_id}/objections/{int:objection_id}/resolve",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="记录异议核实结果",
)
def objection_decide(
    request,
    response: HttpResponse,
    application_id: RecordId,
    objection_id: RecordId,
    payload: ResolveIn,
):
    a = application_for(request.auth, application_id)
    found = objection_for(a, objection_id)
    w.objection_resolve(objection=found, actor=request.auth, **payload.model_dump())
    return _one(request, response, application_id)


@router.post(
    "/{int:application_id}/documents",
    response={200: ApplicationOut, **error_responses(400, 403, 404, 409, 413, 422)},
    summary="上传申请材料",
    url_name="application-document",
    openapi_extra=multipart_file("jpg、png 或 pdf，不超过 10 MB"),
)
def document_new(request, response: HttpResponse, application_id: RecordId, kind: str):
    """multipart 上传（字段名 file）；`kind`：signed 签字申请书 / consent 核对授权书 /
    income / medical / photo / other。"""
    user = request.auth
    a = application_for(user, application_id)
    if not can_handle_application(user, a.unit):  # asked before the body is read
        raise NotPermitted(_("只有受理的基层工会可以上传申请材料"))
    upload = uploaded_file(request, DOCUMENT_LIMIT)
    document_add(application=a, kind=kind, upload=upload, actor=user)
    return _one(request, response, application_id)


@router.get(
    "/{int:application_id}/documents/{int:document_id}",
    response={200: None, **error_responses(403, 404)},
    summary="下载申请材料",
    openapi_extra={
        "responses": {
            200: {
                "description": "上传时的文件（jpg、png 或 pdf）",
                "content": {
                    kind: {}
                    for kind in (
                        "application/pdf",
                        "image/jpeg",
                        "image/png",
                        "application/octet-stream",
                    )
                },
            }
        }
    },
)
def document_get(request, application_id: RecordId, document_id: RecordId):
    """受理的基层工会和上级帮扶中心可以下载；其他角色 403。"""
    document = document_for(request.auth, application_id, document_id)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )
