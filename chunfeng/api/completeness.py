"""Who has reported how far (报送情况): 报送率 and 及时率 per level, for all forms together and per
form, the overdue units with the forms each is missing, and the detail a page of units at a
time. A fixed number of queries whatever the number of units."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from chunfeng.campaigns.passdown import deadline_of
from chunfeng.campaigns.selectors import campaign_for
from chunfeng.orgunits.selectors import unit_for
from chunfeng.reports.completeness import (
    Rate,
    detail_page,
    overdue_units_page,
    rates_for,
)

from .common import RecordId
from .errors import error_responses

router = Router(tags=["活动"])


class CompletenessRowOut(Schema):
    unit: str
    unit_name: str
    form: str
    status: str = Field(description="not_started / draft / submitted / returned / approved")
    deadline: dt.date = Field(description="该单位的报送截止（下发时定的，否则为活动的）")
    submitted_at: dt.datetime | None = Field(description="首次报送时间；未报送为 null")
    on_time: bool | None = Field(description="首次报送是否在截止日（含）之前；未报送为 null")
    overdue: bool = Field(description="已过截止日且尚未报送")


class RateOut(Schema):
    level: str = Field(description="单位类别，或“合计”")
    expected: int
    filed: int
    on_time: int
    filing_rate: str | None = Field(description="报送率（%，一位小数）；无应报时为 null")
    timely_rate: str | None = Field(description="及时率（%，一位小数）；无应报时为 null")


class FormRateOut(RateOut):
    form: str = Field(description="表单代码")


class OverdueOut(Schema):
    unit: str
    unit_name: str
    contact_person: str
    contact_phone: str
    deadline: dt.date
    missing: list[str] = Field(description="尚未报送的表单代码")


class CompletenessOut(Schema):
    campaign: int
    unit: str
    deadline: dt.date = Field(description="unit 的报送截止（下发时定的，否则为活动的）")
    page: int = Field(description="rows 所在的页（每页 50 个单位）")
    pages: int
    units: int = Field(description="应报单位数（所选层级）")
    rows: list[CompletenessRowOut] = Field(description="本页各单位每张表一行")
    rates: list[RateOut] = Field(description="各层级及合计，全部表合计")
    form_rates: list[FormRateOut] = Field(description="各表分别的各层级及合计")
    overdue: list[OverdueOut] = Field(description="逾期未报单位（前 50 个），注明未报的表单")
    overdue_count: int


@router.get(
    "/{campaign_id}/completeness",
    response={200: CompletenessOut, **error_responses(404)},
    summary="报送情况",
)
def campaign_completeness(
    request: HttpRequest,
    campaign_id: RecordId,
    unit: str | None = None,
    level: str = "",
    page: int = 1,
    state: Literal["", "missing", "late", "filed"] = "",
    q: str = "",
    sort: Literal["", "name", "-name", "deadline", "-deadline"] = "",
):
    """`unit`（默认本单位）及其下级中应报的单位：各层级的报送率与及时率（全部表合计与分表），
    逾期未报的单位及其未报的表单，以及每张表的报送状态（按单位分页，每页 50 个单位；
    `level` 为 county / industry / grassroots 等时只列该层级；`state` 为 missing 时只列有未报表的
    单位，late 只列逾期未报的，filed 只列各表均已报送的；`q` 为单位名称的一部分或代码的开头；
    `sort` 为 name、-name、deadline、-deadline 时按单位名称或截止日期排序，默认按组织机构）。截止日前已撤销的单位不计入
    应报；下发给下级的活动，以下发时定的截止日期判断逾期与及时。"""
    user = request.auth
    campaign = campaign_for(user, campaign_id)
    root = unit_for(user, unit) if unit else user.unit
    rates = rates_for(campaign, root)
    detail = detail_page(campaign, root, page=page, level=level, state=state, q=q[:50], sort=sort)
    overdue = overdue_units_page(campaign, root)
    return {
        "campaign": campaign.pk,
        "unit": root.code,
        "deadline": deadline_of(campaign, root),
        "page": detail.number,
        "pages": detail.pages,
        "units": detail.count,
        "rows": [_row(row) for _unit, rows in detail.items for row in rows],
        "rates": [_rate(r) for r in rates.together],
        "form_rates": [{**_rate(r), "form": r.form} for r in rates.per_form],
        "overdue": [
            {
                "unit": o.unit.code,
                "unit_name": o.unit.name,
                "contact_person": o.unit.contact_person,
                "contact_phone": o.unit.contact_phone,
                "deadline": o.deadline,
                "missing": [f.code for f in o.missing],
            }
            for o in overdue.items
        ],
        "overdue_count": overdue.count,
    }


def _row(row) -> dict:
    return {
        "unit": row.unit.code,
        "unit_name": row.unit.name,
        "form": row.form.code,
        "status": row.status,
        "deadline": row.deadline,
        "submitted_at": timezone.localtime(row.submitted_at) if row.submitted_at else None,
        "on_time": row.on_time,
        "overdue": row.overdue,
    }


def _rate(rate: Rate) -> dict:
    return {
        "level": str(rate.level),
        "expected": rate.expected,
        "filed": rate.filed,
        "on_time": rate.on_time,
        "filing_rate": None if rate.filing_rate is None else str(rate.filing_rate),
        "timely_rate": None if rate.timely_rate is None else str(rate.timely_rate),
    }
