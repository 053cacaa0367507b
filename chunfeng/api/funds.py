"""The rest of the funds ledger through the API: receipts (筹集), duplicate flags and groups
(不重复), coverage (不遗漏) and the figures the records give (表实相符).

Everything is read within the caller's subtree (404 outside it); ID numbers are always masked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from chunfeng.campaigns.selectors import campaign_form
from chunfeng.core.personal import mask_id
from chunfeng.formdefs.selectors import definition_of
from chunfeng.formdefs.values import format_value
from chunfeng.funds.coverage import coverage
from chunfeng.funds.duplicate_notes import flag_message, shows_both_sides
from chunfeng.funds.duplicates import duplicates_scan
from chunfeng.funds.models import FlagStatus, PaymentLine, Source
from chunfeng.funds.receipts import receipt_create
from chunfeng.funds.selectors import flags_of, funds_campaign_for, receipts_of
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import unit_for
from chunfeng.reconcile.computing import compute_explained
from chunfeng.reconcile.figures import differences
from chunfeng.reports.selectors import report_of, report_values

from .common import RecordId, choice, money, own_unit, page_of
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["资金"])


def _scope(user, code: str | None) -> OrgUnit:
    """``unit`` (404 outside the subtree), else the caller's own unit."""
    return unit_for(user, code) if code else own_unit(user)


# --- receipts ---------------------------------------------------------------------------------


class ReceiptOut(Schema):
    id: int
    unit: str
    campaign: int
    source: str = Field(
        description="government 政府拨款 / union 工会投入 / donation 社会捐助 / other 其他收入 / "
        "allocation 上级下拨（上级工会筹集后拨给本单位的资金，不计入本单位的筹集总额 05A）"
    )
    amount: str = Field(description="金额（元，两位小数）")
    from_unit: str | None = Field(description="上级下拨的拨款单位代码；其他来源为 null")
    received_on: dt.date
    note: str


def receipt_answer(receipt) -> dict:
    return {
        "id": receipt.pk,
        "unit": receipt.unit.code,
        "campaign": receipt.campaign_id,
        "source": receipt.source,
        "amount": money(receipt.amount),
        "from_unit": receipt.from_unit.code if receipt.from_unit_id else None,
        "received_on": receipt.received_on,
        "note": receipt.note,
    }


@router.get(
    "/receipts", response={200: list[ReceiptOut], **error_responses(404)}, summary="筹集资金"
)
def receipt_list(request: HttpRequest, campaign: int | None = None, unit: str | None = None):
    """本单位及下级单位登记的筹集资金；`campaign`、`unit`（该单位及其下级）筛选。"""
    user = request.auth
    receipts = receipts_of(
        user,
        campaign=funds_campaign_for(user, campaign) if campaign is not None else None,
        unit=unit_for(user, unit) if unit else None,
    )
    return [receipt_answer(r) for r in receipts]


class ReceiptIn(StrictIn):
    campaign: int = Field(description="活动编号")
    unit: str = Field(description="筹集单位代码：本单位或下级单位")
    source: str = Field(description=" / ".join(Source.values))
    amount: Decimal | str = Field(description="金额（元），大于 0，最多两位小数")
    from_unit: str | None = Field(
        None, description="来源为 allocation（上级下拨）时必填：拨款的上级工会代码"
    )
    received_on: str = Field(description="到账日期（YYYY-MM-DD）")
    note: str = Field("", description="摘要")


@router.post(
    "/receipts",
    response={201: ReceiptOut, **error_responses(400, 403, 404, 422)},
    summary="登记筹集资金",
)
def receipt_new(request: HttpRequest, payload: ReceiptIn):
    """本单位或上级单位的填报员、管理员为 `unit` 登记一笔筹集资金（其他角色 403）。"""
    user = request.auth
    unit = unit_for(user, payload.unit)
    campaign = funds_campaign_for(user, payload.campaign)
    receipt = receipt_create(
        unit=unit,
        campaign=campaign,
        source=payload.source,
        amount=payload.amount,
        from_unit=payload.from_unit,
        received_on=payload.received_on,
        note=payload.note,
        actor=user,
    )
    return Status(201, receipt_answer(receipt))


# --- duplicates -------------------------------------------------------------------------------


class FlaggedLineOut(Schema):
    id: int
    batch: int
    unit: str
    name: str
    id_number: str = Field(description="掩码")
    amount: str
    date: dt.date


class DuplicateFlagOut(Schema):
    id: int
    kind: str = Field(description="exact / name_birth / phone")
    status: str = Field(
        description="open 待处理 / distinct 不是同一户 / genuine 确属第二次发放 / "
        "cancelled 已撤销该笔发放"
    )
    reason: str = Field(description="处理说明")
    line: FlaggedLineOut | None = Field(
        description="引起提示的发放记录；在您管辖范围以外的单位时为 null（只告知存在）"
    )
    other: FlaggedLineOut | None = Field(
        description="此前的发放记录；在您管辖范围以外的单位时为 null（只告知存在）"
    )
    other_unit: str | None
    other_date: dt.date | None
    message: str = Field(
        description="提示文字；一方在您管辖范围以外时不含其单位、姓名、金额、批次，只说明"
        "由哪一级审核员核实（他们能看到双方）"
    )
    resolved_at: dt.datetime | None


class GroupLineOut(Schema):
    id: int
    batch: int
    unit: str
    name: str
    id_number: str = Field(description="掩码")
    amount: str
    date: dt.date


class DuplicateGroupOut(Schema):
    kind: str
    key: str = Field(description="重复的依据：掩码的身份证号码、姓名和出生日期，或联系电话")
    units: int = Field(description="涉及的单位数")
    lines: list[GroupLineOut]


class DuplicatesOut(Schema):
    campaign: int
    unit: str
    flags: list[DuplicateFlagOut] = Field(
        description="发放时产生的重复提示：一方在本单位及下级单位的，含已处理的"
    )
    groups: list[DuplicateGroupOut] = Field(
        description="本单位及下级单位未撤销的发放中，一户多次发放的各组（全量扫描）"
    )


def _flagged(line: PaymentLine) -> dict:
    return {
        "id": line.pk,
        "batch": line.batch_id,
        "unit": line.unit.code,
        "name": line.name,
        "id_number": mask_id(line.id_number),
        "amount": money(line.amount),
        "date": line.paid_on,
    }


@router.get(
    "/duplicates", response={200: DuplicatesOut, **error_responses(400, 404)}, summary="重复发放"
)
def duplicate_list(
    request: HttpRequest, campaign: int, unit: str | None = None, status: str | None = None
):
    """`unit`（默认本单位）及其下级单位在活动 `campaign` 中的重复发放：发放时产生的提示
    （`status` 可筛选 open / distinct / genuine / cancelled），以及全量扫描得到的重复组。
    身份证号码一律为掩码。"""
    user = request.auth
    found = funds_campaign_for(user, campaign)
    root = _scope(user, unit)
    wanted = choice("status", status, FlagStatus.values)
    flags = flags_of(user, campaign=found, status=wanted, root=root)
    scan = duplicates_scan(found, root)
    groups = [g for kind_groups in scan.groups.values() for g in kind_groups]
    return {
        "campaign": found.pk,
        "unit": root.code,
        "flags": [_flag(f, user) for f in flags],
        "groups": [_group(g) for g in groups],
    }


def _flag(flag, user) -> dict:
    both = shows_both_sides(flag, user)
    mine = user.unit
    line = flag.line if both or flag.line.unit.is_within(mine) else None
    other = flag.other if both or flag.other.unit.is_within(mine) else None
    return {
        "id": flag.pk,
        "kind": flag.kind,
        "status": flag.status,
        "reason": flag.reason,
        "line": _flagged(line) if line else None,
        "other": _flagged(other) if other else None,
        "other_unit": other.unit.code if other else None,
        "other_date": other.paid_on if other else None,
        "message": flag_message(flag, user),
        "resolved_at": flag.resolved_at,
    }


def _group(group) -> dict:
    lines = [
        {
            "id": ln.pk,
            "batch": ln.batch_id,
            "unit": ln.unit_code,
            "name": ln.name,
            "id_number": ln.masked_id,
            "amount": money(ln.amount),
            "date": ln.paid_on,
        }
        for ln in group.lines
    ]
    return {"kind": group.kind, "key": group.key_text, "units": group.units, "lines": lines}


# --- coverage ---------------------------------------------------------------------------------


class MissingOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="掩码")
    unit: str


class CoverageRowOut(Schema):
    unit: str
    on_file: int
    helped: int
    rate: str | None


class CoverageOut(Schema):
    campaign: int
    unit: str
    on_file: int = Field(description="在档户数（本单位及下级单位）")
    helped: int = Field(description="本活动中已走访或已发放（未撤销）的在档户数")
    rate: str | None = Field(description="覆盖率（%，一位小数）；无在档户时为 null")
    children: list[CoverageRowOut] = Field(description="各直属下级单位（含其下级）")
    missing_count: int = Field(description="尚未走访或发放的户数")
    page: int
    page_size: int
    missing: list[MissingOut] = Field(description="尚未走访或发放的户（按单位、姓名），本页")


def _rate(value) -> str | None:
    return None if value is None else str(value)


@router.get(
    "/coverage", response={200: CoverageOut, **error_responses(400, 404)}, summary="覆盖情况"
)
def coverage_get(
    request: HttpRequest,
    campaign: int,
    unit: str | None = None,
    page: int = 1,
    page_size: int = 200,
):
    """`unit`（默认本单位）及其下级单位的在档户中，本活动已走访或已发放的比例，以及尚未
    覆盖的户（分页，`page_size` 最大 1000；身份证号码为掩码）。"""
    user = request.auth
    found = funds_campaign_for(user, campaign)
    root = _scope(user, unit)
    result = coverage(found, root)
    missing, count = page_of(result.missing, page, page_size, max_size=1000)
    return {
        "campaign": found.pk,
        "unit": root.code,
        "on_file": result.root.on_file,
        "helped": result.root.helped,
        "rate": _rate(result.root.rate),
        "children": [
            {"unit": r.unit.code, "on_file": r.on_file, "helped": r.helped, "rate": _rate(r.rate)}
            for r in result.children
        ],
        "missing_count": count,
        "page": page,
        "page_size": page_size,
        "missing": [
            {"id": h.pk, "name": h.name, "id_number": mask_id(h.id_number), "unit": h.unit.code}
            for h in missing
        ],
    }


# --- 表实相符 ---------------------------------------------------------------------------------


class DifferenceOut(Schema):
    code: str
    label: str
    reported: str = Field(description="报表中的值")
    recorded: str = Field(description="由实名记录算出的值")


class DerivedFiguresOut(Schema):
    campaign: int
    unit: str
    form: str
    values: dict[str, str] = Field(
        description="由档案、走访、筹集、发放记录和12351工单算出的填报项（规范文本：人数为整数，"
        "万元 4 位小数，元 2 位小数）；只含本单位及下级单位有记录的那几类"
    )
    notes: dict[str, str] = Field(
        description="因记录缺少所需信息而未计入的说明（如出生年份不详的农民工来电人，"
        "不计入新生代农民工）"
    )
    report_status: str | None = Field(description="本单位报表的状态；尚无报表时为 null")
    reported: dict[str, str] = Field(description="本单位报表中这些项已填的值")
    differences: list[DifferenceOut] = Field(description="报表已填且与记录不一致的项")


@router.get(
    "/campaigns/{campaign_id}/derived/{unit_code}/{form_code}",
    response={200: DerivedFiguresOut, **error_responses(404)},
    summary="表实相符",
    tags=["表实相符"],
)
def derived(request: HttpRequest, campaign_id: RecordId, unit_code: str, form_code: str):
    """`unit_code` 及其下级单位的实名记录算出的各项（表单定义中 `derived` 声明的项，如附件1 的
    03A–08C、附件2 的 10D），与该单位自己报表中的值比较。没有声明这类项的表单 404。"""
    user = request.auth
    found = funds_campaign_for(user, campaign_id)
    unit = unit_for(user, unit_code)
    cform = campaign_form(found, form_code)
    report = report_of(cform, unit)
    definition = definition_of(report.form_version if report else cform.form_version)
    if not definition.derived:
        message = _("表单 %(form_code)s 没有声明由实名记录算出的填报项（derived）")
        raise Http404(message % {"form_code": form_code})
    blanks = definition.blanks
    explained = compute_explained(definition, found, unit)
    recorded = explained.values
    values = report_values(report, definition)
    reported = {c: values[c] for c in recorded if values.get(c) is not None}
    return {
        "campaign": found.pk,
        "unit": unit.code,
        "form": form_code,
        "values": {c: format_value(blanks[c], v) for c, v in recorded.items()},
        "notes": explained.notes,
        "report_status": report.status if report else None,
        "reported": {c: format_value(blanks[c], v) for c, v in reported.items()},
        "differences": [
            {
                "code": d.code,
                "label": d.label,
                "reported": format_value(blanks[d.code], d.reported),
                "recorded": format_value(blanks[d.code], d.recorded),
            }
            for d in differences(definition, reported, recorded)
        ],
    }
