"""动态管理 through the API: the files due or overdue for their yearly review, a review
(confirm, change the category, or close the file 脱困), and the standards in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from chunfeng.applications.reviews import file_review
from chunfeng.applications.selectors import reviews_due, standards_visible_to
from chunfeng.core.personal import mask_id
from chunfeng.register.selectors import household_for

from .common import RecordId, money
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["建档申请与动态管理"])
READ_ERRORS = error_responses(400, 404)
WRITE_ERRORS = error_responses(400, 403, 404, 409, 422)


# --- 动态管理 and standards ----------------------------------------------------------------------


class DueOut(Schema):
    household: int
    name: str
    id_number: str = Field(description="掩码")
    unit: str
    category: str
    review_due: dt.date
    overdue: bool


@router.get("/reviews", response={200: list[DueOut], **READ_ERRORS}, summary="到期和逾期的复核")
def reviews_list(request: HttpRequest, on: dt.date | None = None):
    """本单位及下级建档、30 天内到期或已逾期年度复核的档案，到期早的在前（最多 500 户）。"""
    on = on or timezone.localdate()
    return [
        {
            "household": s.household_id,
            "name": s.household.name,
            "id_number": mask_id(s.household.id_number),
            "unit": s.household.unit.code,
            "category": s.household.category,
            "review_due": s.review_due,
            "overdue": s.review_due < on,
        }
        for s in reviews_due(request.auth, on)[:500]
    ]


class ReviewIn(StrictIn):
    on: dt.date
    family_size: int = Field(ge=1, le=99)
    income: Decimal | str = Field(description="家庭月人均收入（元）")
    outcome: str = Field(description="confirm 维持 / change 调整类别 / close 脱困退出")
    category: str = ""
    reason: str = Field("", description="脱困原因；所选类别与收入不符时的理由")


class ReviewOut(Schema):
    household: int
    outcome: str
    category_before: str
    category_after: str
    proposed: str
    per_capita: str


@router.post(
    "/reviews/{int:household_id}",
    response={200: ReviewOut, **WRITE_ERRORS},
    summary="年度复核一份档案",
)
def review_new(request: HttpRequest, household_id: RecordId, payload: ReviewIn):
    household = household_for(request.auth, household_id)
    data = payload.model_dump() | {"income": str(payload.income)}
    r = file_review(household=household, actor=request.auth, **data)
    return {
        "household": household_id,
        "outcome": r.outcome,
        "category_before": r.category_before,
        "category_after": r.category_after,
        "proposed": r.proposed,
        "per_capita": money(r.per_capita),
    }


class StandardOut(Schema):
    region_code: str
    region_name: str
    year: int
    low_line: str
    c_margin: str
    effective_from: dt.date
    notice_days: int
    source: str


@router.get("/standards", response={200: list[StandardOut], **READ_ERRORS}, summary="低保标准")
def standards_list(request: HttpRequest):
    return [
        {
            "region_code": s.region_code,
            "region_name": s.region_name,
            "year": s.year,
            "low_line": money(s.low_line),
            "c_margin": str(s.c_margin),
            "effective_from": s.effective_from,
            "notice_days": s.notice_days,
            "source": s.source,
        }
        for s in standards_visible_to(request.auth)
    ]
