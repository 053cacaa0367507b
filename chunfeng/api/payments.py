"""实名发放 through the API: payment batches, their lines (every kind of recipient the notice
names), approval; confirmation on evidence is ``confirmations``.

Batches are reached through ``batches_visible_to`` / ``batch_for`` (outside the caller's
subtree → 404); writes are the funds services' own (403 for viewers and reviewers, 409 once a
batch is confirmed). A line added here answers at once with the duplicate flags it raised.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from chunfeng.core.rules import can_see_full_ids
from chunfeng.funds.approval import batch_approve
from chunfeng.funds.duplicate_notes import flag_message, shows_both_sides
from chunfeng.funds.models import DuplicateFlag, PaymentBatch, PaymentLine, Recipient
from chunfeng.funds.printing import log_export
from chunfeng.funds.selectors import (
    batch_for,
    batch_lines,
    batch_with_figures,
    batches_of,
    flags_by_line,
    funds_campaign_for,
    line_for,
)
from chunfeng.funds.services import batch_create, line_add
from chunfeng.orgunits.selectors import unit_for

from .common import RecordId, fields_named, money
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["实名发放"])

BATCH_PURPOSE = "api:batch"
RECIPIENT_DOC = "发放对象：" + "；".join(f"{r.value} {r.label}" for r in Recipient)


# --- answers ----------------------------------------------------------------------------------


class FlagOut(Schema):
    id: int
    kind: str = Field(
        description="exact 同一身份证号 / name_birth 姓名和出生日期相同 / phone 电话相同"
    )
    status: str = Field(description="open 待处理 / distinct / genuine / cancelled")
    other_line: int | None = Field(
        description="此前的那笔发放记录；在您管辖范围以外的单位时为 null（只告知存在）"
    )
    other_unit: str | None = Field(description="此前发放的单位代码；范围以外时为 null")
    other_date: dt.date | None = Field(description="此前发放的日期；范围以外时为 null")
    message: str = Field(
        description="提示文字（身份证号码为掩码；对方在您管辖范围以外时不含其单位、金额、批次，"
        "只说明由哪一级审核员核实）"
    )


class PaymentLineOut(Schema):
    id: int
    batch: int
    recipient: str = Field(description=RECIPIENT_DOC)
    id_number: str = Field(
        description="身份证号码（除 `?reveal=1` 且角色允许外均为掩码）；困难企业为统一社会信用代码"
    )
    name: str
    household: int | None = Field(description="建档的困难职工家庭；其他发放对象为 null")
    amount: str = Field(description="金额（元，两位小数）；实物为折合价值")
    kind: str = Field(description="cash 现金 / goods 实物")
    goods: str
    aid_type: str = Field(
        description="living / medical / schooling / heating / condolence / legal / other"
    )
    date: dt.date = Field(description="发放日期")
    unit: str
    campaign: int
    cancelled: bool
    result: str = Field(description="银行结果：空 未返回 / paid 已入账 / failed 失败，待重新发放")
    result_reason: str
    flags: list[FlagOut] = Field(description="这笔发放引起的重复发放提示")


class BatchOut(Schema):
    id: int
    campaign: int
    unit: str
    name: str
    status: str = Field(description="draft 待发放 / confirmed 已确认发放（锁定）")
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    confirm_note: str
    confirmed_on: str = Field(
        description="确认依据：bank 银行结果文件 / signed 签领表经审核员核对 / declared 旧版声明 / 空"
    )
    signed_sheet: bool = Field(description="是否已上传签字后的签领表（尚待或已经审核员核对）")
    approved_at: dt.datetime | None = Field(
        description="上级单位审核员审批的时间（银行代发文件只能从已审批的批次导出）；"
        "审批后名单有变动时审批失效，为 null"
    )
    approved_by: str | None
    lines: int = Field(description="未撤销的发放户次")
    total: str = Field(description="未撤销发放的合计（元）")
    open_flags: int = Field(description="尚未处理的重复发放提示")


class BatchDetailOut(BatchOut):
    revealed: bool = Field(description="发放记录中的身份证号码是否为完整号码")
    items: list[PaymentLineOut] = Field(description="发放记录（含已撤销的），按录入顺序")


def flag_answer(flag: DuplicateFlag, user) -> dict:
    """``flag`` with ``line`` and ``other`` (its unit and batch) loaded, as ``user`` may read
    it: another union's payment outside the user's subtree only said to exist."""
    other = flag.other if shows_both_sides(flag, user) else None
    return {
        "id": flag.pk,
        "kind": flag.kind,
        "status": flag.status,
        "other_line": other.pk if other else None,
        "other_unit": other.unit.code if other else None,
        "other_date": other.paid_on if other else None,
        "message": flag_message(flag, user),
    }


def line_answer(line: PaymentLine, flags: list[DuplicateFlag], user, *, full: bool = False) -> dict:
    return {
        "id": line.pk,
        "batch": line.batch_id,
        "recipient": line.recipient,
        "id_number": line.id_number if full else line.shown_number,
        "name": line.name,
        "household": line.household_id,
        "amount": money(line.amount),
        "kind": line.kind,
        "goods": line.goods,
        "aid_type": line.aid_type,
        "date": line.paid_on,
        "unit": line.unit.code,
        "campaign": line.campaign_id,
        "cancelled": line.cancelled,
        "result": line.result,
        "result_reason": line.result_reason,
        "flags": [flag_answer(f, user) for f in flags],
    }


def batch_answer(batch: PaymentBatch) -> dict:
    """A batch of ``batches_with_figures`` (its figures annotated)."""
    return {
        "id": batch.pk,
        "campaign": batch.campaign_id,
        "unit": batch.unit.code,
        "name": batch.name,
        "status": batch.status,
        "created_at": batch.created_at,
        "confirmed_at": batch.confirmed_at,
        "confirm_note": batch.confirm_note,
        "confirmed_on": batch.confirmed_on,
        "signed_sheet": bool(batch.signed_sheet),
        "approved_at": batch.approved_at,
        "approved_by": batch.approved_by.username if batch.approved_by else None,
        "lines": batch.live_lines,
        "total": money(batch.live_total),
        "open_flags": batch.open_flag_count,
    }


def _detail(user, batch_id: RecordId, *, reveal: bool = False) -> dict:
    batch = batch_with_figures(user, batch_id)
    lines = list(batch_lines(batch))
    full = reveal and can_see_full_ids(user, batch.unit)
    if full and lines:
        log_export(user, batch, [line.household_id for line in lines], BATCH_PURPOSE)
    flags = flags_by_line(lines)
    items = [line_answer(line, flags.get(line.pk, []), user, full=full) for line in lines]
    return {**batch_answer(batch), "revealed": full, "items": items}


# --- batches ----------------------------------------------------------------------------------


@router.get("", response={200: list[BatchOut], **error_responses(404)}, summary="发放批次")
def batch_list(request: HttpRequest, campaign: int | None = None, unit: str | None = None):
    """本单位及下级单位的发放批次；`campaign`、`unit`（该单位及其下级）筛选，不在范围内时
    404。"""
    user = request.auth
    batches = batches_of(
        user,
        campaign=funds_campaign_for(user, campaign) if campaign is not None else None,
        unit=unit_for(user, unit) if unit else None,
    )
    return [batch_answer(b) for b in batches]


class BatchIn(StrictIn):
    campaign: int = Field(description="活动编号")
    unit: str = Field(description="发放单位代码：本单位或下级单位")
    name: str = Field(description="批次名称，如“春节慰问第一批”")


@router.post(
    "",
    response={201: BatchDetailOut, **error_responses(400, 403, 404, 422)},
    summary="建立发放批次",
)
def batch_new(request: HttpRequest, payload: BatchIn):
    """本单位或上级单位的填报员、管理员为 `unit` 建立发放批次（其他角色 403）。"""
    user = request.auth
    unit = unit_for(user, payload.unit)
    campaign = funds_campaign_for(user, payload.campaign)
    batch = batch_create(unit=unit, campaign=campaign, name=payload.name, actor=user)
    return Status(201, _detail(user, batch.pk))


@router.get(
    "/{batch_id}", response={200: BatchDetailOut, **error_responses(404)}, summary="一个批次"
)
def batch_get(request: HttpRequest, batch_id: RecordId, reveal: bool = False):
    """批次及其全部发放记录，每条记录带有它引起的重复发放提示。身份证号码为掩码；
    `?reveal=1` 时，本单位或上级单位的填报员、管理员得到完整号码（记入查看记录）。"""
    return _detail(request.auth, batch_id, reveal=reveal)


# --- lines and approval -----------------------------------------------------------------------


class LineIn(StrictIn):
    recipient: str = Field("household", description=RECIPIENT_DOC)
    id_number: str = Field(
        description="身份证号码（困难职工家庭、困难劳模须已在本单位或下级单位建档）；"
        "困难企业填统一社会信用代码"
    )
    name: str = Field("", description="姓名或企业名称（建档的困难职工家庭可省略）")
    amount: Decimal | str = Field(description="金额（元），大于 0，最多两位小数")
    kind: str = Field("cash", description="cash 现金 / goods 实物")
    goods: str = Field("", description="实物名称（实物发放时必填）")
    aid_type: str = Field(
        description="living / medical / schooling / heating / condolence / legal / other"
    )
    date: str = Field(description="发放日期（YYYY-MM-DD）")


@router.post(
    "/{batch_id}/lines",
    response={201: PaymentLineOut, **error_responses(400, 403, 404, 409, 422)},
    summary="添加发放记录",
)
def line_new(request: HttpRequest, batch_id: RecordId, payload: LineIn):
    """按身份证号码（困难企业按统一社会信用代码）添加一笔发放，发放日期须在活动期间内（否则
    400，`details` 指明 date）。同一活动内该户已被任何单位发放过（同一身份证号），或疑似同一户
    （姓名和出生日期相同、联系电话相同）时，记录照常保存，`flags` 列出新产生的重复发放提示，
    须由上级审核员处理后批次才能确认。已确认的批次返回 409。"""
    user = request.auth
    batch = batch_for(user, batch_id)
    with fields_named({"paid_on": "date"}):
        line = line_add(
            batch=batch,
            recipient=payload.recipient,
            name=payload.name,
            id_number=payload.id_number,
            amount=payload.amount,
            kind=payload.kind,
            goods=payload.goods,
            aid_type=payload.aid_type,
            paid_on=payload.date,
            actor=user,
        )
    line = line_for(user, line.pk)
    flags = flags_by_line([line]).get(line.pk, [])
    return Status(201, line_answer(line, flags, user))


@router.post(
    "/{batch_id}/approve",
    response={200: BatchDetailOut, **error_responses(400, 403, 404, 409)},
    summary="审批批次（银行代发前）",
)
def approve(request: HttpRequest, batch_id: RecordId):
    """发放单位上级单位的审核员审批批次，此后才能导出银行代发文件（否则 403）。批次已确认、
    已审批或仍有未处理的重复发放提示时返回 409；没有发放记录时 400。审批后再添加或撤销
    发放记录，审批随即失效。"""
    user = request.auth
    batch = batch_for(user, batch_id)
    batch_approve(batch=batch, actor=user)
    return _detail(user, batch.pk)
