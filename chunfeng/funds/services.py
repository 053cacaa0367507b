"""Writes to the funds ledger: receipts, real-name payment batches and their lines (added one by
one or imported), confirmation, cancellation, duplicate-flag resolution and visits.

Each service is keyword-only, atomic and audited. Fillers and admins write the data of their own
unit and of the units below it; reviewers resolve duplicate flags; nobody changes a confirmed
batch. Duplicates are flagged in the same transaction as the lines that cause them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from chunfeng.accounts.models import Role
from chunfeng.accounts.permissions import can_review
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.register.idnumbers import InvalidIdNumber, mask, parse_id
from chunfeng.register.models import Household, HouseholdStatus, Person

from .duplicates import duplicates_flag, flags_with_messages
from .models import (
    AidType,
    BatchStatus,
    DuplicateFlag,
    FlagStatus,
    PaymentBatch,
    PaymentKind,
    PaymentLine,
    Receipt,
    Source,
    Visit,
    VisitKind,
)
from .selectors import funds_campaigns_visible_to

WRITER_ROLES = (Role.FILLER, Role.ADMIN)
MAX_LINE_AMOUNT = Decimal("9999999999.99")  # PaymentLine.amount: 12 digits, 2 decimals
MAX_RECEIPT_AMOUNT = Decimal("999999999999.99")  # Receipt.amount: 14 digits, 2 decimals
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 10_000
IMPORT_COLUMNS = ("身份证号码", "姓名", "金额", "发放方式", "实物名称", "救助类别", "发放日期")
IMPORT_REQUIRED = ("身份证号码", "金额", "救助类别", "发放日期")
CONFIRM_BASES = {"signed": "签领表已签字", "bank": "银行代发结果已返回"}


# ---- who may do what ------------------------------------------------------------------------


def can_write_funds(user, unit) -> bool:
    """Fillers and admins of ``unit`` or of a unit above it."""
    return (
        getattr(user, "is_active", False) and user.role in WRITER_ROLES
        and user.unit_id is not None and unit.is_within(user.unit)
    )  # fmt: skip


def can_resolve(user, flag: DuplicateFlag) -> bool:
    """Reviewers of a unit above the flagged line's unit, or of the campaign's owner."""
    line = flag.line
    return bool(
        getattr(user, "is_active", False)
        and user.role == Role.REVIEWER
        and user.unit_id is not None
        and (can_review(user, line.unit) or user.unit_id == line.campaign.owner_id)
    )


def _require_writer(actor, unit, what: str) -> None:
    if not can_write_funds(actor, unit):
        raise NotPermitted(f"您不能{what}（只有{unit.name}或其上级单位的填报员、管理员可以）")
    if not unit.active:
        raise ApplicationError(f"{unit.name}已撤销，不能再登记", code="retired_unit")


def _require_campaign(actor, campaign) -> None:
    if not funds_campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotPermitted(f"活动“{campaign.name}”不在您的范围内")


def _require_draft(batch: PaymentBatch) -> None:
    if batch.status != BatchStatus.DRAFT:
        raise ApplicationError(
            f"批次“{batch.name}”已确认发放并锁定，不能再修改", code="batch_locked"
        )


# ---- parsing --------------------------------------------------------------------------------


def _invalid(field_name: str, message: str):
    raise ApplicationError(message, code="invalid",
                           details=[{"field": field_name, "message": message}])  # fmt: skip


def parse_amount(raw, *, maximum: Decimal = MAX_LINE_AMOUNT, label: str = "金额") -> Decimal:
    """Yuan with at most two decimals (fen), more than zero: "1,200.50", "300", 300.5."""
    if isinstance(raw, float):
        raw = repr(raw)
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    text = text.removesuffix("元").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label}“{raw}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"{label}“{raw}”不是数字")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{label}“{raw}”最多保留两位小数（元、角、分）")
    if value <= 0:
        raise ValueError(f"{label}应大于 0")
    if value > maximum:
        raise ValueError(f"{label}“{raw}”过大")
    return value.quantize(Decimal("0.01"))


_DATE_PATTERNS = (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{4})/(\d{1,2})/(\d{1,2})",
                  r"(\d{4})\.(\d{1,2})\.(\d{1,2})", r"(\d{4})年(\d{1,2})月(\d{1,2})日?",
                  r"(\d{4})(\d{2})(\d{2})")  # fmt: skip


def parse_date(raw, *, label: str = "日期") -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 20000 < raw < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))  # an Excel serial date
    text = str(raw or "").strip()
    if not text:
        raise ValueError(f"{label}不能为空")
    text = text.split(" ")[0] if re.match(r"\d{4}-\d{1,2}-\d{1,2} ", text) else text
    for pattern in _DATE_PATTERNS:
        m = re.fullmatch(pattern, text)
        if m:
            try:
                return dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                break
    raise ValueError(f"{label}“{raw}”无效，应写成 2012-01-05 的形式")


def _checked(field_name: str, parse, *args, **kwargs):
    """``parse(*args, **kwargs)``, its ValueError as an ApplicationError on ``field_name``."""
    try:
        return parse(*args, **kwargs)
    except ValueError as exc:
        _invalid(field_name, str(exc))


def _choice(raw, choices, label: str, default=None) -> str:
    text = str(raw or "").strip()
    if not text and default is not None:
        return default
    for choice in choices:
        if text in (choice.value, str(choice.label)):
            return choice.value
    names = "、".join(str(c.label) for c in choices)
    raise ValueError(f"{label}“{text}”无效，应为 {names} 之一")


def _text(raw, limit: int) -> str:
    return str(raw if raw is not None else "").strip()[:limit]


# ---- receipts -------------------------------------------------------------------------------


@transaction.atomic
def receipt_create(*, unit, campaign, source: str, amount, received_on, actor,
                   note: str = "") -> Receipt:  # fmt: skip
    """筹集: money raised by ``unit`` for ``campaign`` (附件1 item 05, by source)."""
    _require_writer(actor, unit, f"为{unit.name}登记筹集资金")
    _require_campaign(actor, campaign)
    source = _checked("source", _choice, source, Source, "来源")
    value = _checked("amount", parse_amount, amount, maximum=MAX_RECEIPT_AMOUNT)
    received_on = _checked("received_on", parse_date, received_on, label="到账日期")
    receipt = Receipt.objects.create(unit=unit, campaign=campaign, source=source, amount=value,
                                     received_on=received_on, note=_text(note, 200),
                                     created_by=actor)  # fmt: skip
    audit_record(actor=actor, action="receipt.create", target=receipt, unit=unit.code,
                 campaign=campaign.pk, source=source, amount=str(value))  # fmt: skip
    return receipt


# ---- batches and lines ----------------------------------------------------------------------


@transaction.atomic
def batch_create(*, unit, campaign, name: str, actor) -> PaymentBatch:
    """发放批次: one real-name list of ``unit`` in ``campaign``."""
    _require_writer(actor, unit, f"为{unit.name}建立发放批次")
    _require_campaign(actor, campaign)
    name = _text(name, 100)
    if not name:
        _invalid("name", "请填写批次名称，例如“春节慰问第一批”")
    batch = PaymentBatch.objects.create(unit=unit, campaign=campaign, name=name, created_by=actor)
    audit_record(actor=actor, action="batch.create", target=batch, unit=unit.code,
                 campaign=campaign.pk, name=name)  # fmt: skip
    return batch


def _household_for(actor, number: str) -> Household:
    """The active file of ``number`` within the actor's subtree, or a message saying why not."""
    household = (
        Household.objects.filter(
            id_number=number, status=HouseholdStatus.ACTIVE, unit__path__startswith=actor.unit.path
        )  # fmt: skip
        .select_related("unit")
        .first()
    )
    if household is not None:
        return household
    if Household.objects.filter(id_number=number, unit__path__startswith=actor.unit.path).exists():
        raise ValueError(f"身份证号码 {mask(number)} 的档案已脱困，不在档，不能发放")
    member = Person.objects.filter(id_number=number, active=True, is_worker=False).first()
    if member is not None and member.household.unit.is_within(actor.unit):
        raise ValueError(f"身份证号码 {mask(number)} 是{member.household.name}家的家庭成员，"
                         "请填写户主（困难职工本人）的身份证号码")  # fmt: skip
    raise ValueError(f"身份证号码 {mask(number)} 未在您的管辖范围内建立困难职工档案，"
                     "请先建档（一户一档）再发放")  # fmt: skip


def _lock_households(pks) -> None:
    """Payments of one family are serialised: a concurrent line for the same household waits
    for this transaction, then sees its line, so the exact duplicate is flagged either way
    (SQLite transactions are serial anyway; the suspected kinds are left to the scan)."""
    ordered = sorted(pks)
    for i in range(0, len(ordered), 500):
        list(
            Household.objects.select_for_update()
            .filter(pk__in=ordered[i : i + 500])
            .order_by("pk")
            .values_list("pk", flat=True)
        )


@dataclass
class LineData:
    household: Household
    amount: Decimal
    kind: str
    goods: str
    aid_type: str
    paid_on: dt.date


def _clean_line(actor, *, id_number, amount, kind, goods, aid_type, paid_on,
                household=None) -> LineData:  # fmt: skip
    """Raises ApplicationError with the field of the first problem."""
    try:
        number = parse_id(id_number).number
    except InvalidIdNumber as exc:
        _invalid("id_number", str(exc))
    try:
        household = household or _household_for(actor, number)
    except ValueError as exc:
        _invalid("id_number", str(exc))
    checks = (
        ("amount", lambda: parse_amount(amount)),
        ("kind", lambda: _choice(kind, PaymentKind, "发放方式", default=PaymentKind.CASH)),
        ("aid_type", lambda: _choice(aid_type, AidType, "救助类别")),
        ("paid_on", lambda: parse_date(paid_on, label="发放日期")),
    )
    values = {}
    for name, check in checks:
        try:
            values[name] = check()
        except ValueError as exc:
            _invalid(name, str(exc))
    goods = _text(goods, 100)
    if values["kind"] == PaymentKind.GOODS and not goods:
        _invalid("goods", "实物发放请填写实物名称（金额填实物折合的价值）")
    if values["kind"] == PaymentKind.CASH:
        goods = ""
    return LineData(household=household, goods=goods, **values)


def _new_line(batch: PaymentBatch, data: LineData) -> PaymentLine:
    h = data.household
    return PaymentLine(
        batch=batch, household=h, unit=batch.unit, campaign=batch.campaign,
        id_number=h.id_number, name=h.name, amount=data.amount, kind=data.kind,
        goods=data.goods, aid_type=data.aid_type, paid_on=data.paid_on,
    )  # fmt: skip


@transaction.atomic
def line_add(*, batch: PaymentBatch, id_number, amount, aid_type, paid_on, actor,
             kind: str = PaymentKind.CASH, goods: str = "") -> PaymentLine:  # fmt: skip
    """One recipient by ID number (the household must be on file, active, in the actor's
    subtree). Duplicates are flagged at once; ``line.new_flags`` and ``line.messages`` say so."""
    _require_writer(actor, batch.unit, f"修改{batch.unit.name}的发放批次")
    batch = (
        PaymentBatch.objects.select_for_update().select_related("unit", "campaign").get(pk=batch.pk)
    )
    _require_draft(batch)
    data = _clean_line(actor, id_number=id_number, amount=amount, kind=kind, goods=goods,
                       aid_type=aid_type, paid_on=paid_on)  # fmt: skip
    _lock_households([data.household.pk])
    line = _new_line(batch, data)
    line.save()
    line.new_flags = duplicates_flag([line])
    line.messages = flags_with_messages(line.new_flags)
    audit_record(actor=actor, action="line.add", target=line, batch=batch.pk,
                 id=mask(line.id_number), amount=str(line.amount), kind=line.kind,
                 flags=[f.kind for f in line.new_flags])  # fmt: skip
    return line


@dataclass
class Imported:
    lines: list[PaymentLine]
    flags: list[DuplicateFlag] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def _row_error(errors: list, row: int, column: str, message: str) -> None:
    errors.append({"row": row, "column": column, "message": message,
                   "text": f"第 {row} 行“{column}”：{message}"})  # fmt: skip


def _import_households(actor, numbers: set[str]) -> dict[str, Household]:
    found = {}
    for chunk in [sorted(numbers)[i : i + 500] for i in range(0, len(numbers), 500)]:
        for h in Household.objects.filter(
            id_number__in=chunk, status=HouseholdStatus.ACTIVE,
            unit__path__startswith=actor.unit.path,
        ).select_related("unit"):  # fmt: skip
            found[h.id_number] = h
    return found


def _import_row(actor, rownum: int, row: dict, households: dict, errors: list):
    """The LineData of one row, or None with its errors appended."""
    before = len(errors)
    try:
        number = parse_id(row.get("身份证号码")).number
    except InvalidIdNumber as exc:
        _row_error(errors, rownum, "身份证号码", str(exc))
        number = None
    household = None
    if number:
        household = households.get(number)
        if household is None:
            try:
                _household_for(actor, number)
            except ValueError as exc:
                _row_error(errors, rownum, "身份证号码", str(exc))
        name = _text(row.get("姓名"), 64)
        if household is not None and name and name != household.name:
            _row_error(errors, rownum, "姓名",
                       f"与档案不符：身份证号码 {mask(number)} 的档案姓名为“{household.name}”")  # fmt: skip
    values = {}
    checks = (
        ("金额", "amount", lambda: parse_amount(row.get("金额"))),
        ("发放方式", "kind",
         lambda: _choice(row.get("发放方式"), PaymentKind, "发放方式", default=PaymentKind.CASH)),
        ("救助类别", "aid_type", lambda: _choice(row.get("救助类别"), AidType, "救助类别")),
        ("发放日期", "paid_on", lambda: parse_date(row.get("发放日期"), label="发放日期")),
    )  # fmt: skip
    for column, key, check in checks:
        try:
            values[key] = check()
        except ValueError as exc:
            _row_error(errors, rownum, column, str(exc))
    goods = _text(row.get("实物名称"), 100)
    if values.get("kind") == PaymentKind.GOODS and not goods:
        _row_error(errors, rownum, "实物名称", "实物发放请填写实物名称（金额填实物折合的价值）")
    if len(errors) > before or household is None:
        return None
    goods = goods if values["kind"] == PaymentKind.GOODS else ""
    return LineData(household=household, goods=goods, **values)


@transaction.atomic
def lines_import(*, batch: PaymentBatch, rows: list[tuple[int, dict]], actor) -> Imported:
    """All-or-nothing: every row is checked first; any error (with its row and column) and
    nothing is saved. ``rows`` are (file row number, {column: value}) from ``linefiles.read_line_rows``."""
    _require_writer(actor, batch.unit, f"修改{batch.unit.name}的发放批次")
    batch = (
        PaymentBatch.objects.select_for_update().select_related("unit", "campaign").get(pk=batch.pk)
    )
    _require_draft(batch)
    if not rows:
        raise ApplicationError("文件中没有数据行（第 1 行为列名，从第 2 行起每行一户）",
                               code="import_empty")  # fmt: skip
    if len(rows) > IMPORT_MAX_ROWS:
        raise ApplicationError(f"一次最多导入 {IMPORT_MAX_ROWS} 行，请分批导入", code="too_many")
    numbers = set()
    for _rownum, row in rows:
        try:
            numbers.add(parse_id(row.get("身份证号码")).number)
        except InvalidIdNumber:
            pass
    households = _import_households(actor, numbers)
    errors: list[dict] = []
    cleaned = [_import_row(actor, rownum, row, households, errors) for rownum, row in rows]
    if errors:
        raise ApplicationError(
            f"导入失败：文件中有 {len(errors)} 处错误，没有导入任何记录。请改正后重新导入。",
            code="import_errors", details=errors,
        )  # fmt: skip
    _lock_households({data.household.pk for data in cleaned})
    lines = PaymentLine.objects.bulk_create([_new_line(batch, data) for data in cleaned])
    if any(line.pk is None for line in lines):  # backends without RETURNING (not ours)
        lines = list(batch.lines.select_related("household").order_by("-id")[: len(lines)])[::-1]
    flags = duplicates_flag(lines)
    result = Imported(lines=lines, flags=flags, messages=flags_with_messages(flags))
    audit_record(actor=actor, action="line.import", target=batch, count=len(lines),
                 flags=len(flags))  # fmt: skip
    return result


def _close_flags_of(line: PaymentLine, actor, reason: str) -> None:
    """A cancelled line pays nobody: its open flags (either side of the pair) are closed."""
    now = timezone.now()
    text = f"发放已撤销：{reason}"[:200]
    DuplicateFlag.objects.filter(line=line, status=FlagStatus.OPEN).update(
        status=FlagStatus.CANCELLED, reason=text, resolved_by=actor, resolved_at=now
    )
    DuplicateFlag.objects.filter(other=line, status=FlagStatus.OPEN).update(
        status=FlagStatus.CANCELLED, reason=f"对方{text}"[:200], resolved_by=actor,
        resolved_at=now,
    )  # fmt: skip


def _cancel(line: PaymentLine, actor, reason: str) -> PaymentLine:
    batch = PaymentBatch.objects.select_for_update().get(pk=line.batch_id)
    _require_draft(batch)
    line = PaymentLine.objects.select_for_update().get(pk=line.pk)
    if line.cancelled:
        raise ApplicationError("这条发放记录已经撤销", code="already_cancelled")
    line.cancelled = True
    line.save(update_fields=["cancelled"])
    _close_flags_of(line, actor, reason)
    return line


@transaction.atomic
def line_cancel(*, line: PaymentLine, actor, reason: str) -> PaymentLine:
    """Take a line out of a draft batch (entered by mistake, not handed out)."""
    _require_writer(actor, line.unit, f"修改{line.unit.name}的发放批次")
    reason = _text(reason, 150)
    if not reason:
        _invalid("reason", "请填写撤销原因")
    line = _cancel(line, actor, reason)
    audit_record(actor=actor, action="line.cancel", target=line, reason=reason)
    return line


@transaction.atomic
def batch_confirm(*, batch: PaymentBatch, basis: str, actor, note: str = "") -> PaymentBatch:
    """确认发放: after the recipients signed the 签领表, or the bank's result came back. The
    batch is locked from then on. Not while one of its lines has an open duplicate flag."""
    _require_writer(actor, batch.unit, f"确认{batch.unit.name}的发放批次")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    _require_draft(batch)
    if basis not in CONFIRM_BASES:
        _invalid("basis", "请选择确认依据：签领表已签字，或银行代发结果已返回")
    live = batch.lines.filter(cancelled=False)
    if not live.exists():
        raise ApplicationError("批次中没有发放记录，不能确认", code="batch_empty")
    open_flags = DuplicateFlag.objects.filter(line__batch=batch, status=FlagStatus.OPEN).count()
    if open_flags:
        raise ApplicationError(
            f"批次中还有 {open_flags} 条重复发放提示尚未处理，请审核员处理后再确认发放",
            code="open_flags",
        )  # fmt: skip
    note = _text(note, 150)
    batch.status = BatchStatus.CONFIRMED
    batch.confirmed_at, batch.confirmed_by = timezone.now(), actor
    batch.confirm_note = f"{CONFIRM_BASES[basis]}：{note}" if note else CONFIRM_BASES[basis]
    batch.save(update_fields=["status", "confirmed_at", "confirmed_by", "confirm_note"])
    audit_record(actor=actor, action="batch.confirm", target=batch, basis=basis, note=note,
                 lines=live.count())  # fmt: skip
    return batch


# ---- duplicate flags ------------------------------------------------------------------------


@transaction.atomic
def flag_resolve(*, flag: DuplicateFlag, outcome: str, actor, reason: str = "") -> DuplicateFlag:
    """A reviewer's decision on a flag: the two are different families (distinct), it is a
    genuine second payment (a reason is required), or the flagged line is cancelled."""
    if not can_resolve(actor, flag):
        raise NotPermitted("只有上级单位（或活动发起单位）的审核员可以处理重复发放提示")
    flag = DuplicateFlag.objects.select_for_update().select_related("line").get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ApplicationError("这条提示已经处理过了", code="already_resolved")
    reason = _text(reason, 200)
    if outcome == FlagStatus.GENUINE and not reason:
        _invalid("reason", "确属第二次发放时，请填写理由（例如：大病另行医疗救助）")
    if outcome == FlagStatus.CANCELLED:
        _cancel(flag.line, actor, reason or "审核认定重复发放")
        flag.refresh_from_db()
    elif outcome not in (FlagStatus.DISTINCT, FlagStatus.GENUINE):
        _invalid("outcome", "请选择处理结果")
    flag.status, flag.reason = outcome, reason
    flag.resolved_by, flag.resolved_at = actor, timezone.now()
    flag.save(update_fields=["status", "reason", "resolved_by", "resolved_at"])
    audit_record(actor=actor, action="flag.resolve", target=flag, outcome=outcome, reason=reason,
                 line=flag.line_id, other=flag.other_id)  # fmt: skip
    return flag


# ---- visits ---------------------------------------------------------------------------------


@transaction.atomic
def visit_create(*, unit, campaign, kind: str, visited_on, visitors: str, actor,
                 id_number: str = "", enterprise: str = "", is_hardship_enterprise: bool = False,
                 note: str = "") -> Visit:  # fmt: skip
    """走访慰问: an enterprise (by name) or a household (by the worker's ID number)."""
    _require_writer(actor, unit, f"为{unit.name}登记走访")
    _require_campaign(actor, campaign)
    kind = _checked("kind", _choice, kind, VisitKind, "走访类别")
    visited_on = _checked("visited_on", parse_date, visited_on, label="走访日期")
    visitors = _text(visitors, 200)
    if not visitors:
        _invalid("visitors", "请填写走访人（例如：主席 王某、副主席 李某）")
    household, enterprise = None, _text(enterprise, 128)
    if kind == VisitKind.HOUSEHOLD:
        try:
            household = _household_for(actor, parse_id(id_number).number)
        except (InvalidIdNumber, ValueError) as exc:
            _invalid("id_number", str(exc))
        enterprise, is_hardship_enterprise = "", False
    elif not enterprise:
        _invalid("enterprise", "走访企业请填写企业名称")
    visit = Visit.objects.create(
        unit=unit, campaign=campaign, kind=kind, household=household, enterprise=enterprise,
        is_hardship_enterprise=bool(is_hardship_enterprise), visited_on=visited_on,
        visitors=visitors, note=_text(note, 200), created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="visit.create", target=visit, unit=unit.code, kind=kind,
                 household=mask(household.id_number) if household else "")  # fmt: skip
    return visit


__all__ = [
    "batch_confirm", "batch_create", "can_resolve", "can_write_funds", "flag_resolve",
    "line_add", "line_cancel", "lines_import", "parse_amount", "receipt_create", "visit_create",
]  # fmt: skip
