"""A payment list imported into a batch: the file (xlsx, xls or CSV, read by the one reader
``chunfeng.core.tables``), every row checked, and the lines saved all or nothing with their
duplicate flags. Also the template users fill in."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import mask_id
from chunfeng.core.tables import Bounds, Table, cell_problem
from chunfeng.register.models import Household, HouseholdStatus

from .duplicate_notes import flags_with_messages
from .duplicates import duplicates_flag
from .models import (
    ON_FILE,
    AidType,
    DuplicateFlag,
    PaymentBatch,
    PaymentKind,
    PaymentLine,
    Recipient,
)
from .parsing import choice, clip, parse_amount, parse_date
from .recipients import household_on_file, recipient_named
from .services import (
    LineData,
    approval_withdraw,
    lock_households,
    new_line,
    require_draft,
    require_writer,
)

IMPORT_MAX_ROWS = 10_000
# files a little over the rows allowed are read, to be refused with the count of their rows
BOUNDS = Bounds(unpacked=32 * 1024 * 1024, rows=2 * IMPORT_MAX_ROWS, columns=50)
IMPORT_COLUMNS = (
    "身份证号码",
    "姓名",
    "金额",
    "发放方式",
    "实物名称",
    "救助类别",
    "发放日期",
    "发放对象",
)
IMPORT_REQUIRED = ("身份证号码", "金额", "救助类别", "发放日期")


# ---- the file ---------------------------------------------------------------------------------


def _header(cell) -> str:
    """“发放方式(现金/实物)” → “发放方式”."""
    return re.sub(r"[（(].*$", "", str(cell or "")).strip()


def read_line_rows(upload) -> list[tuple[int, dict]]:
    """(file row number, {column: raw value}) of an uploaded payment list. ID numbers keep
    their cell type, so a number Excel mangled is reported as such rather than truncated. The
    upload was received within ``core.uploads.SHORT_LIST``."""
    table = Table(upload.read(), upload.name or "", bounds=BOUNDS)
    header = table.header()
    names = [_header(c) for c in header.columns]
    missing = [c for c in IMPORT_REQUIRED if c not in names]
    if missing:
        raise ApplicationError(
            _("文件缺少必需的列"),
            code="missing_columns",
            details=[cell_problem(header.row, c, "缺少这一列") for c in missing],
        )
    columns: dict[str, int] = {}
    for i, name in enumerate(names):
        if name:
            columns.setdefault(name, i)
    return list(table.records(columns, keep_numbers=frozenset({"身份证号码"})))


def import_template_csv() -> str:
    """The import template: the column names only (BOM, so that Excel opens it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(
        [
            "身份证号码",
            "姓名",
            "金额",
            "发放方式(现金/实物)",
            "实物名称",
            "救助类别",
            "发放日期",
            "发放对象",
        ]
    )
    return "\ufeff" + out.getvalue()


# ---- the rows -----------------------------------------------------------------------------------


@dataclass
class Imported:
    lines: list[PaymentLine]
    flags: list[DuplicateFlag] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def _row_error(errors: list, row: int, column: str, message: str) -> None:
    errors.append(cell_problem(row, column, message))


def _import_households(actor, numbers: set[str]) -> dict[str, Household]:
    found = {}
    for chunk in [sorted(numbers)[i : i + 500] for i in range(0, len(numbers), 500)]:
        for h in Household.objects.filter(
            id_number__in=chunk,
            status=HouseholdStatus.ACTIVE,
            unit__path__startswith=actor.unit.path,
        ).select_related("unit"):
            found[h.id_number] = h
    return found


# what a list may write in 发放对象: the kinds' short names (blank: a hardship family)
SHORT_RECIPIENTS = {str(r.label).split("（")[0]: r.value for r in Recipient}
SHORT_RECIPIENTS |= {
    "一线职工": Recipient.FRONTLINE,
    "劳模": Recipient.MODEL,
    "先进": Recipient.MODEL,
}


def _recipient_of(row: dict, rownum: int, errors: list) -> str | None:
    text = str(row.get("发放对象") or "").strip()
    if text in SHORT_RECIPIENTS:
        return SHORT_RECIPIENTS[text]
    try:
        return choice(text, Recipient, "发放对象", default=Recipient.HOUSEHOLD)
    except ValueError:
        names = "、".join(SHORT_RECIPIENTS)
        _row_error(errors, rownum, "发放对象", f"发放对象“{text}”无效，应为 {names} 之一")
        return None


def _household_of(actor, recipient, rownum: int, row: dict, households: dict, errors: list):
    """The file a row of a hardship kind names, or None with its errors appended."""
    try:
        number = parse_id(row.get("身份证号码")).number
    except InvalidIdNumber as exc:
        _row_error(errors, rownum, "身份证号码", str(exc))
        return None
    household = households.get(number)
    if household is None:
        try:
            household_on_file(actor, number)
        except ValueError as exc:
            _row_error(errors, rownum, "身份证号码", str(exc))
        return None
    name = clip(row.get("姓名"), 64)
    if name and name != household.name:
        _row_error(
            errors,
            rownum,
            "姓名",
            f"与档案不符：身份证号码 {mask_id(number)} 的档案姓名为“{household.name}”",
        )
    if recipient == Recipient.HARDSHIP_MODEL and not household.is_model_worker:
        _row_error(errors, rownum, "发放对象", f"{household.name}的档案未标为劳模")
    return household


def _named_of(actor, recipient: str, rownum: int, row: dict, errors: list):
    """A 劳模, a worker or an enterprise named by a row (``recipients.recipient_named``)."""
    try:
        return recipient_named(
            actor, recipient=recipient, number=row.get("身份证号码"), name=row.get("姓名")
        )
    except ApplicationError as exc:
        field_name = exc.details[0]["field"] if exc.details else "id_number"
        column = {"name": "姓名", "recipient": "发放对象"}.get(field_name, "身份证号码")
        _row_error(errors, rownum, column, exc.message)
        return None


def _import_row(actor, campaign, rownum: int, row: dict, households: dict, errors: list):
    """The LineData of one row, or None with its errors appended."""
    before = len(errors)
    recipient = _recipient_of(row, rownum, errors)
    household, named = None, None
    if recipient is None or recipient in ON_FILE:
        household = _household_of(actor, recipient, rownum, row, households, errors)
    else:
        named = _named_of(actor, recipient, rownum, row, errors)
    values = {}
    checks = (
        ("金额", "amount", lambda: parse_amount(row.get("金额"))),
        (
            "发放方式",
            "kind",
            lambda: choice(row.get("发放方式"), PaymentKind, "发放方式", default=PaymentKind.CASH),
        ),
        ("救助类别", "aid_type", lambda: choice(row.get("救助类别"), AidType, "救助类别")),
        ("发放日期", "paid_on", lambda: parse_date(row.get("发放日期"), label="发放日期")),
    )
    for column, key, check in checks:
        try:
            values[key] = check()
        except ValueError as exc:
            _row_error(errors, rownum, column, str(exc))
    paid_on = values.get("paid_on")
    if paid_on and not campaign.period_start <= paid_on <= campaign.period_end:
        _row_error(
            errors,
            rownum,
            "发放日期",
            f"{paid_on.isoformat()} 不在活动期间（{campaign.period_start.isoformat()} 至 "
            f"{campaign.period_end.isoformat()}）内",
        )
    goods = clip(row.get("实物名称"), 100)
    if values.get("kind") == PaymentKind.GOODS and not goods:
        _row_error(errors, rownum, "实物名称", "实物发放请填写实物名称（金额填实物折合的价值）")
    if len(errors) > before or (household is None and named is None):
        return None
    goods = goods if values["kind"] == PaymentKind.GOODS else ""
    if named is not None:
        values |= {"recipient": named.recipient, "id_number": named.id_number, "name": named.name}
    elif recipient is not None:
        values["recipient"] = recipient
    return LineData(household=household, goods=goods, **values)


@transaction.atomic
def lines_import(*, batch: PaymentBatch, rows: list[tuple[int, dict]], actor) -> Imported:
    """All-or-nothing: every row is checked first; any error (with its row and column) and
    nothing is saved. ``rows`` are (file row number, {column: value}) from ``read_line_rows``."""
    require_writer(actor, batch.unit, _("修改%(unit)s的发放批次") % {"unit": batch.unit.name})
    # the batch row only (not its campaign's, which would queue every payment of the campaign):
    # payments of one family are serialised by lock_households
    batch = (
        PaymentBatch.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign")
        .get(pk=batch.pk)
    )
    require_draft(batch)
    if not rows:
        raise ApplicationError(
            _("文件中没有数据行（第 1 行为列名，从第 2 行起每行一户）"), code="import_empty"
        )
    if len(rows) > IMPORT_MAX_ROWS:
        raise ApplicationError(
            _("一次最多导入 %(rows)s 行，请分批导入") % {"rows": IMPORT_MAX_ROWS}, code="too_many"
        )
    numbers = set()
    for _rownum, row in rows:
        try:
            numbers.add(parse_id(row.get("身份证号码")).number)
        except InvalidIdNumber:
            pass
    households = _import_households(actor, numbers)
    errors: list[dict] = []
    cleaned = [
        _import_row(actor, batch.campaign, rownum, row, households, errors) for rownum, row in rows
    ]
    if errors:
        raise ApplicationError(
            _("导入失败：文件中有 %(count)s 处错误，没有导入任何记录。请改正后重新导入。")
            % {"count": len(errors)},
            code="import_errors",
            details=errors,
        )
    lock_households([data.household for data in cleaned])
    approval_withdraw(batch, actor)
    lines = PaymentLine.objects.bulk_create([new_line(batch, data) for data in cleaned])
    if any(line.pk is None for line in lines):  # backends without RETURNING (not ours)
        lines = list(batch.lines.select_related("household").order_by("-id")[: len(lines)])[::-1]
    flags = duplicates_flag(lines)
    result = Imported(lines=lines, flags=flags, messages=flags_with_messages(flags, actor))
    audit_record(
        actor=actor, action="line.import", target=batch, count=len(lines), flags=len(flags)
    )
    return result
