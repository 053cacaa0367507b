"""确认发放 on evidence, never on a bare declaration.

* A batch paid through the bank: the bank's result file (xlsx, xls or CSV, read by the one
  reader ``core.tables``; its columns mapped to ours by name or by the user's mapping), one row
  per transfer: the account or ID number, the amount, paid or failed, the reason. Each row is
  matched to a live line of the batch by the number and the amount: a paid line is confirmed; a
  failed line is taken out of the batch (it paid nobody) and listed for re-payment in a new
  batch; a row that matches no line is reported by its row number. Once every live line is paid
  the batch is confirmed and locked.
* A cash or goods batch: the signed 签领表 (a scan or a photo) is uploaded by the paying union,
  and a reviewer of a union above it confirms it (``rules.can_confirm_signed_sheet``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_bank, mask_id
from chunfeng.core.rules import can_confirm_signed_sheet, can_write_funds
from chunfeng.core.tables import Bounds, Table, cell_problem

from .models import (
    BatchStatus,
    Confirmation,
    DuplicateFlag,
    FlagStatus,
    LineResult,
    PaymentBatch,
    PaymentLine,
)
from .parsing import parse_amount
from .services import require_draft, require_writer

BOUNDS = Bounds(unpacked=32 * 1024 * 1024, rows=20_000, columns=50)
# our columns, and the names banks give them (a file's own names are mapped to these)
COLUMNS = {
    "number": (
        "账号或身份证号码",
        "账号",
        "卡号",
        "银行卡号",
        "收款账号",
        "身份证号码",
        "证件号码",
    ),
    "amount": ("金额", "交易金额", "发放金额", "实发金额"),
    "result": ("结果", "处理结果", "交易状态", "状态"),
    "reason": ("原因", "失败原因", "备注", "说明"),
}
LABELS = {"number": "账号或身份证号码", "amount": "金额", "result": "结果", "reason": "原因"}
PAID_WORDS = ("成功", "已入账", "已支付", "入账", "paid", "success", "ok")
FAILED_WORDS = ("失败", "退回", "未入账", "failed", "fail")
SHEET_TYPES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG": ".png", b"%PDF": ".pdf"}


def bank_template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([LABELS[k] for k in COLUMNS])
    writer.writerow(["6222020000000000016", "500.00", "成功", ""])
    writer.writerow(["210202198001010011", "300.00", "失败", "账户已销户"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def column_mapping(header: list[str], chosen: dict[str, str] | None = None) -> dict[str, int]:
    """Our column → the file's column index: the user's choice (by the file's column name)
    first, else the first of the names banks use; ``missing_columns`` naming what is missing
    and the file's own columns to choose from."""
    chosen = {k: (v or "").strip() for k, v in (chosen or {}).items()}
    found: dict[str, int] = {}
    for key, names in COLUMNS.items():
        wanted = (chosen[key],) if chosen.get(key) else names
        for name in wanted:
            if name in header:
                found[key] = header.index(name)
                break
    missing = [k for k in ("number", "amount", "result") if k not in found]
    if missing:
        have = "、".join(c for c in header if c) or "无"
        raise ApplicationError(
            f"找不到以下列：{'、'.join(LABELS[k] for k in missing)}。文件中的列为：{have}。"
            "请在“列对应”中填写银行文件里对应的列名后重新导入",
            code="missing_columns",
            details=[
                {"field": f"column_{k}", "message": f"请填写“{LABELS[k]}”所在的列名"}
                for k in missing
            ],
        )
    return found


def read_bank_rows(content: bytes, name: str, chosen=None) -> list[tuple[int, dict]]:
    """(file row number, {number, amount, result, reason}) of a bank result file received
    within ``core.uploads.SHORT_LIST``."""
    table = Table(content, name, bounds=BOUNDS)
    columns = column_mapping(table.header().columns, chosen)
    return list(table.records(columns))


@dataclass
class BankResult:
    paid: list[PaymentLine] = field(default_factory=list)
    failed: list[PaymentLine] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # "第 n 行：…"
    pending: int = 0  # live lines the file did not mention
    confirmed: bool = False


def _result_of(raw) -> str:
    text = str(raw or "").strip().lower()
    if any(w in text for w in FAILED_WORDS):
        return LineResult.FAILED
    if any(w in text for w in PAID_WORDS):
        return LineResult.PAID
    raise ValueError(_("结果“%(raw)s”无法识别，应为“成功”或“失败”") % {"raw": raw})


def _shown(number: str) -> str:
    return mask_id(number) if len(number) == 18 else mask_bank(number)


def _parse(rows) -> tuple[list[tuple[int, str, Decimal, str, str]], list[dict]]:
    parsed, errors = [], []
    for rownum, row in rows:
        number = str(row.get("number") or "").replace(" ", "").upper()
        try:
            amount = parse_amount(row.get("amount"))
            result = _result_of(row.get("result"))
        except ValueError as exc:
            column = "金额" if "金额" in str(exc) else "结果"
            errors.append(cell_problem(rownum, column, str(exc)))
            continue
        if not number:
            errors.append(cell_problem(rownum, LABELS["number"], "请填写账号或身份证号码"))
            continue
        parsed.append((rownum, number, amount, result, str(row.get("reason") or "")[:150]))
    return parsed, errors


class _Live:
    """The live lines of a batch found by (account or ID number, amount) in constant time: a
    bank file of 20,000 rows against as many lines is one pass, not rows × lines. A line is
    given once; among lines of the same key, the first by id."""

    def __init__(self, lines: list[PaymentLine]):
        self._by_key: dict[tuple[str, Decimal], list[PaymentLine]] = defaultdict(list)
        self._given: set[int] = set()
        for line in lines:
            account = line.household.bank_account.replace(" ", "") if line.household else ""
            for number in dict.fromkeys(n for n in (line.id_number, account) if n):
                self._by_key[(number, line.amount)].append(line)

    def take(self, number: str, amount: Decimal) -> PaymentLine | None:
        candidates = self._by_key.get((number, amount), [])
        while candidates:
            line = candidates.pop(0)
            if line.pk not in self._given:
                self._given.add(line.pk)
                return line
        return None


@transaction.atomic
def bank_result_import(*, batch: PaymentBatch, rows, actor) -> BankResult:
    """Apply the bank's result file to ``batch`` (approved for payment by bank). A cell that
    cannot be read stops the whole file (every problem named, nothing saved)."""
    require_writer(actor, batch.unit, _("确认%(unit)s的发放批次") % {"unit": batch.unit.name})
    batch = PaymentBatch.objects.select_for_update().select_related("unit").get(pk=batch.pk)
    require_draft(batch)
    if batch.approved_at is None:
        raise ApplicationError(
            "本批次尚未经审核员审批，没有生成银行代发文件，不能导入银行结果；"
            "现场发放的批次请上传签领表",
            code="not_approved",
        )
    parsed, errors = _parse(rows)
    if errors or not parsed:
        raise ApplicationError(
            f"银行结果文件有 {len(errors)} 处错误，没有导入任何结果"
            if errors
            else "文件中没有数据行",
            code="import_errors" if errors else "import_empty",
            details=errors,
        )
    live = _Live(
        list(
            batch.lines.filter(cancelled=False, result="")
            .select_related("household")
            .order_by("id")
        )
    )
    outcome = BankResult()
    for rownum, number, amount, result, reason in parsed:
        line = live.take(number, amount)
        if line is None:
            outcome.unmatched.append(
                f"第 {rownum} 行：{_shown(number)} {amount:,.2f} 元，批次中没有对应的发放记录"
            )
            continue
        _record(line, result, reason, actor)
        (outcome.paid if result == LineResult.PAID else outcome.failed).append(line)
    outcome.pending = batch.lines.filter(cancelled=False, result="").count()
    if outcome.pending == 0 and batch.lines.filter(cancelled=False).exists():
        _confirm(batch, Confirmation.BANK, actor, f"银行结果：{len(outcome.paid)} 笔入账")
        outcome.confirmed = True
    audit_record(
        actor=actor,
        action="batch.bank_result",
        target=batch,
        paid=len(outcome.paid),
        failed=[line.pk for line in outcome.failed],
        unmatched=len(outcome.unmatched),
        pending=outcome.pending,
    )
    return outcome


def _record(line: PaymentLine, result: str, reason: str, actor) -> None:
    line.result, line.result_reason = result, reason
    fields = ["result", "result_reason"]
    if result == LineResult.FAILED:
        # the money did not reach them: the line pays nobody (figures, duplicates), and is
        # listed for re-payment in a new batch
        line.cancelled = True
        fields.append("cancelled")
        DuplicateFlag.objects.filter(line=line, status=FlagStatus.OPEN).update(
            status=FlagStatus.CANCELLED,
            reason=f"银行代发失败：{reason}"[:200],
            resolved_by=user_or_none(actor),
            resolved_at=timezone.now(),
        )
    line.save(update_fields=fields)


def failed_lines(batch: PaymentBatch):
    """The lines the bank could not pay: to be paid again (in a new batch)."""
    return batch.lines.filter(result=LineResult.FAILED).order_by("id")


def _confirm(batch: PaymentBatch, basis: str, actor, note: str) -> None:
    open_flags = DuplicateFlag.objects.filter(line__batch=batch, status=FlagStatus.OPEN).count()
    if open_flags:
        raise ApplicationError(
            _("批次中还有 %(open_flags)s 条重复发放提示尚未处理，请审核员处理后再确认发放")
            % {"open_flags": open_flags},
            code="open_flags",
        )
    batch.status, batch.confirmed_on = BatchStatus.CONFIRMED, basis
    batch.confirmed_at, batch.confirmed_by = timezone.now(), user_or_none(actor)
    batch.confirm_note = note[:200]
    batch.save(
        update_fields=["status", "confirmed_on", "confirmed_at", "confirmed_by", "confirm_note"]
    )
    audit_record(actor=actor, action="batch.confirm", target=batch, basis=basis, note=note)


# ---- the signed sheet -----------------------------------------------------------------------


def _sheet_suffix(content: bytes) -> str:
    for magic, suffix in SHEET_TYPES.items():
        if content.startswith(magic):
            return suffix
    raise ApplicationError(
        _("签领表请上传扫描件或照片：JPG、PNG 或 PDF 文件"),
        code="bad_type",
        details=[{"field": "file", "message": "只接受 JPG、PNG 或 PDF"}],
    )


@transaction.atomic
def signed_sheet_upload(*, batch: PaymentBatch, content: bytes, name: str, actor) -> PaymentBatch:
    """The paying union files the signed 签领表 of a cash or goods batch; a reviewer above
    confirms it (``signed_sheet_confirm``). A new upload replaces one not yet confirmed."""
    require_writer(actor, batch.unit, _("上传%(unit)s的签领表") % {"unit": batch.unit.name})
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    require_draft(batch)
    if not batch.lines.filter(cancelled=False).exists():
        raise ApplicationError(_("批次中没有发放记录，无需上传签领表"), code="batch_empty")
    suffix = _sheet_suffix(content)
    batch.signed_sheet.save(f"batch-{batch.pk}{suffix}", ContentFile(content), save=False)
    batch.signed_sheet_name = (name or f"签领表{suffix}")[:255]
    batch.signed_sheet_at = timezone.now()
    batch.save(update_fields=["signed_sheet", "signed_sheet_name", "signed_sheet_at"])
    audit_record(
        actor=actor, action="batch.signed_sheet", target=batch, size=len(content), file=suffix
    )
    return batch


def signed_sheet_of(user, batch: PaymentBatch):
    """The uploaded sheet, for those who check it: the paying union's fillers and admins (and
    those above them) and the reviewers who confirm it — it may carry full ID numbers."""
    if not (can_write_funds(user, batch.unit) or can_confirm_signed_sheet(user, batch.unit)):
        raise NotPermitted(
            "签领表含签名和身份证号码，只有发放单位的填报员、管理员和上级审核员可以查看"
        )
    if not batch.signed_sheet:
        raise ApplicationError(_("尚未上传签领表"), code="no_signed_sheet")
    return batch.signed_sheet


@transaction.atomic
def signed_sheet_confirm(*, batch: PaymentBatch, actor, note: str = "") -> PaymentBatch:
    """A reviewer of a union above the paying union, having looked at the signed sheet,
    confirms the batch: it is locked from then on."""
    if not can_confirm_signed_sheet(actor, batch.unit):
        raise NotPermitted(
            _("只有%(unit)s上级单位的审核员可以核对签领表并确认发放") % {"unit": batch.unit.name}
        )
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    require_draft(batch)
    if not batch.signed_sheet:
        raise ApplicationError(
            _("尚未上传签字后的签领表（扫描件或照片），不能确认发放"), code="no_signed_sheet"
        )
    if not batch.lines.filter(cancelled=False).exists():
        raise ApplicationError(_("批次中没有发放记录，不能确认"), code="batch_empty")
    text = str(note or "").strip()[:150]
    _confirm(batch, Confirmation.SIGNED, actor, f"签领表已核对：{text}" if text else "签领表已核对")
    return batch
