"""12351 cases through the API: create, list with filters, read, change, acknowledge, transfer,
log, extensions, close, return visit, reopen, and the figures of a unit and period.

Every case is reached through ``cases_visible_to`` / ``case_for`` (outside the caller's subtree:
404); writes are the cases' own services (403 where the rulebook says no). The caller's phone
and ID number are masked, except on one case read with ``?reveal=1`` by a caller who handles it
(logged). A case answers with its ``ETag``; a write that sends ``If-Match`` with an older
version is refused with 409 (contract c). The workers' endpoints are ``api/public.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from chunfeng.cases.limits import clock
from chunfeng.cases.models import Case, Category, Difficulty, RequestType, Source
from chunfeng.cases.models import Status as S
from chunfeng.cases.selectors import case_for, cases_matching, duplicates_seen_by
from chunfeng.cases.services import case_create, case_numbers_reveal, case_update
from chunfeng.core.errors import NotPermitted
from chunfeng.core.personal import mask_id, mask_phone
from chunfeng.core.rules import can_see_caller_numbers
from chunfeng.core.versions import etag, version_from
from chunfeng.orgunits.selectors import unit_for

from .common import PageMeta, RecordId, choice, money, page_of
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["12351工单"])
READ_ERRORS = error_responses(400, 404)
WRITE_ERRORS = error_responses(400, 403, 404, 409, 422)


class CaseOut(Schema):
    id: int
    number: str = Field(description="工单编号，如 12351-2012-000123")
    version: int
    source: str
    received_at: dt.datetime
    intake_unit: str = Field(description="受理单位代码")
    unit: str = Field(description="承办单位代码")
    status: str = Field(description="new 待签收 / handling 办理中 / closed 已办结")
    caller_name: str
    caller_phone: str = Field(description="掩码；`?reveal=1` 且承办角色可看完整号码（记录在案）")
    caller_id_number: str = Field(description="同上；未提供时为空")
    caller_is_migrant: bool
    caller_birth_year: int | None
    caller_new_generation: bool | None = Field(description="新生代农民工；出生年份不详时为 null")
    revealed: bool
    employer: str
    employer_code: str
    region: str
    request_type: str
    category: str
    difficulty: str
    is_rights: bool
    description: str
    workers: int
    migrants: int
    amount_involved: str = Field(description="涉及金额（元）")
    cross_region: bool
    ack_due: dt.date
    due: dt.date = Field(description="办理期限（含已批准的延期）")
    workdays_left: int | None = Field(description="剩余工作日；负数为已超期；办结后为 null")
    overdue: bool
    escalated_to: str | None
    household: int | None = Field(description="关联的困难职工档案")
    outcome: str
    outcome_note: str
    recovered: str = Field(description="为职工追回金额（元）")
    closed_at: dt.datetime | None
    on_time: bool | None
    satisfaction: str
    reopened: int
    duplicates: list[str] = Field(description="可能重复的未办结工单（其他工会的只说明存在）")


class CasePageOut(PageMeta):
    items: list[CaseOut]


PLAIN = [
    "id",
    "number",
    "version",
    "source",
    "received_at",
    "status",
    "caller_name",
    "caller_is_migrant",
    "caller_birth_year",
    "caller_new_generation",
    "employer",
    "employer_code",
    "region",
    "request_type",
    "category",
    "difficulty",
    "is_rights",
    "description",
    "workers",
    "migrants",
    "cross_region",
    "ack_due",
    "due",
    "outcome",
    "outcome_note",
    "closed_at",
    "on_time",
    "satisfaction",
    "reopened",
]


def case_answer(case: Case, user, *, full: bool = False) -> dict:
    ticking = clock(case)
    return {
        **{name: getattr(case, name) for name in PLAIN},
        "intake_unit": case.intake_unit.code,
        "unit": case.unit.code,
        "caller_phone": case.caller_phone if full else mask_phone(case.caller_phone),
        "caller_id_number": case.caller_id_number if full else mask_id(case.caller_id_number),
        "revealed": full,
        "amount_involved": money(case.amount_involved),
        "workdays_left": ticking.left,
        "overdue": ticking.overdue,
        "escalated_to": case.escalated_to.code if case.escalated_to_id else None,
        "household": case.household_id,
        "recovered": money(case.recovered),
        "duplicates": [d["text"] for d in duplicates_seen_by(user, case)],
    }


def _tagged(response: HttpResponse, case: Case) -> None:
    response["ETag"] = etag(case.version)


def _expected(request: HttpRequest) -> int | None:
    return version_from(request.headers.get("If-Match"))


@router.get("", response={200: CasePageOut, **READ_ERRORS}, summary="工单列表")
def case_list(
    request: HttpRequest,
    unit: str | None = None,
    status: str | None = None,
    request_type: str | None = None,
    category: str | None = None,
    difficulty: str | None = None,
    source: str | None = None,
    overdue: bool = False,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    """本单位及下级承办或受理的工单，新受理的在前。`unit` 限定为该单位及其下级承办的；
    `status`（open 未办结 / new / handling / closed）、`request_type`、`category`、`difficulty`、
    `source` 筛选；`overdue=true` 只列超过期限未办结的；`received_from`/`received_to` 受理日期；
    `q` 工单编号或来电人姓名的一部分。号码一律掩码。"""
    user = request.auth
    cases = cases_matching(
        user,
        unit=unit_for(user, unit) if unit else None,
        status=choice("status", status, ["open", *S.values]),
        request_type=choice("request_type", request_type, RequestType.values),
        category=choice("category", category, Category.values),
        difficulty=choice("difficulty", difficulty, Difficulty.values),
        source=choice("source", source, Source.values),
        overdue=overdue,
        today=timezone.localdate(),
        received_from=received_from,
        received_to=received_to,
        q=q,
    )
    rows, count = page_of(cases, page, page_size)
    items = [case_answer(c, user) for c in rows]
    return {"count": count, "page": page, "page_size": page_size, "items": items}


@router.get("/{int:case_id}", response={200: CaseOut, **READ_ERRORS}, summary="一件工单")
def case_get(request: HttpRequest, response: HttpResponse, case_id: RecordId, reveal: bool = False):
    """`?reveal=1`：承办单位及其上级的填报员、管理员看到完整的电话和身份证号码（记入历史）。"""
    user = request.auth
    case = case_for(user, case_id)
    full = reveal and can_see_caller_numbers(user, case.unit)
    if full:
        case_numbers_reveal(case=case, actor=user)
    _tagged(response, case)
    return case_answer(case, user, full=full)


class CaseFields(StrictIn):
    caller_name: str | None = None
    caller_phone: str | None = None
    caller_id_number: str | None = Field(None, description="选填；给出时校验")
    caller_birth_year: int | None = Field(None, description="无身份证号码时的出生年份")
    caller_is_migrant: bool | None = None
    employer: str | None = None
    employer_code: str | None = Field(None, description="统一社会信用代码（18 位）")
    region: str | None = Field(None, description="事发地区划代码（6、9 或 12 位）")
    request_type: str | None = Field(None, description="/".join(RequestType.values))
    category: str | None = Field(None, description="/".join(Category.values))
    difficulty: str | None = Field(None, description="/".join(Difficulty.values))
    description: str | None = None
    workers: int | None = None
    migrants: int | None = None
    amount_involved: Decimal | str | None = None
    cross_region: bool | None = None


class CaseIn(CaseFields):
    source: str = Field("hotline", description="/".join(Source.values))
    caller_name: str
    caller_phone: str
    request_type: str
    category: str
    description: str
    unit: str | None = Field(None, description="承办单位代码（本单位的下级）；省略时按事发地分派")


def _given(payload: StrictIn, *skip: str) -> dict:
    data = payload.model_dump(exclude_unset=True, exclude=set(skip))
    return {k: v for k, v in data.items() if v is not None}


@router.post("", response={201: CaseOut, **WRITE_ERRORS}, summary="受理工单")
def case_new(request: HttpRequest, response: HttpResponse, payload: CaseIn):
    """在本单位受理；`unit` 省略时按事发地区划代码（或用人单位信用代码中的区划）分派给区市县
    工会。答复中的 `duplicates` 列出该来电人其他未办结的工单（其他工会的只说明存在）。"""
    user = request.auth
    if user.unit_id is None:
        raise NotPermitted(_("您不属于任何单位，不能受理工单"))
    unit = unit_for(user, payload.unit) if payload.unit else None
    case = case_create(intake_unit=user.unit, data=_given(payload, "unit"), actor=user, unit=unit)
    _tagged(response, case)
    return Status(201, case_answer(case, user))


@router.patch("/{int:case_id}", response={200: CaseOut, **WRITE_ERRORS}, summary="修改工单")
def case_change(
    request: HttpRequest, response: HttpResponse, case_id: RecordId, payload: CaseFields
):
    user = request.auth
    case = case_update(
        case=case_for(user, case_id), data=_given(payload), actor=user, version=_expected(request)
    )
    _tagged(response, case)
    return case_answer(case, user)
