"""A payment batch on paper and for the bank: the 签领表 (signature sheet, A4, one line per
recipient), the 公示名单 (public notice list, ID numbers masked) and the bank payroll CSV for
payment by real-name bank card.

The PDFs use the project's embedded CJK font and page numbering (``chunfeng.core.printing``).
Full ID numbers appear only for users who may see them, and each such export is logged with
the batch and a row for every household it carried. The bank file is made only from a batch a
reviewer approved (``approval``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import partial, wraps
from typing import IO
from xml.sax.saxutils import escape

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_id
from chunfeng.core.printing import NumberedCanvas, StreamedTable, register_cjk_font
from chunfeng.core.rules import can_see_full_ids
from chunfeng.core.safe import csv_text
from chunfeng.register.access import id_access_log_each

from .models import PaymentBatch, PaymentKind, PaymentLine

MARGIN = 15 * mm
ROW_HEIGHT = 10 * mm  # room to sign
NOTICE_DAYS = 7
LINE_BLOCK = 500  # lines read at a time for the prints
CATEGORY_SHORT = {"B": "低保线以下", "C": "低保边缘", "D": "意外致困"}
BANK_COLUMNS = ("姓名", "身份证号码", "银行卡号", "金额")


def log_export(
    user, batch: PaymentBatch, household_ids: Iterable[int | None], purpose: str
) -> None:
    """An export of full numbers: one ID access row per household, naming the batch."""
    id_access_log_each(
        user=user,
        purpose=purpose,
        household_ids=household_ids,
        details={"batch": batch.pk, "batch_name": batch.name},
    )


def _printable(batch: PaymentBatch) -> QuerySet[PaymentLine]:
    return batch.lines.filter(cancelled=False)


def printable_lines(batch: PaymentBatch) -> list[PaymentLine]:
    """The recipients of a batch: its non-cancelled lines, in the order they were entered."""
    return list(_printable(batch).select_related("household").order_by("id"))


def line_blocks(batch: PaymentBatch, size: int | None = None) -> Iterator[PaymentLine]:
    """The same lines read ``size`` at a time (the next block after the last id read), so
    that a print holds one block of them whatever the size of the batch."""
    size = size or LINE_BLOCK
    lines = _printable(batch).select_related("household").order_by("id")
    after = 0
    while True:
        block = list(lines.filter(id__gt=after)[:size])
        yield from block
        if len(block) < size:
            return
        after = block[-1].id


def printed_totals(batch: PaymentBatch) -> tuple[int, Decimal]:
    """How many lines the prints carry and their total, in one query."""
    figures = _printable(batch).aggregate(n=Count("id"), total=Sum("amount"))
    return figures["n"], figures["total"] or Decimal("0.00")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    return {
        "body": body,
        "cell": cell,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9),
        "title": ParagraphStyle(
            "title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=4
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "amount": ParagraphStyle("amt", parent=cell, alignment=TA_RIGHT),
    }


def _doc(out: IO[bytes], title: str, subject: str, font: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        subject=subject,
        creator="春风 Chunfeng",
        invariant=True,
        initialFontName=font,
    )


def _grid(rows, widths, font: str, *, heights=None, total_row: bool = True) -> Table:
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="CENTER")
    style = [
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row:
        style.append(("SPAN", (0, -1), (1, -1)))
    table.setStyle(style)
    return table


def _amount_cell(line: PaymentLine, styles) -> Paragraph:
    text = f"{line.amount:,.2f}"
    if line.kind == PaymentKind.GOODS:
        text += f"<br/><font size='7'>实物：{escape(line.goods)}</font>"
    return Paragraph(text, styles["amount"])


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def _category(line) -> str:
    """困难类别 of a household on file; the kind of any other recipient (劳模、一线职工…)."""
    if line.household is None:
        return str(line.get_recipient_display()).split("（")[0]
    return CATEGORY_SHORT.get(line.household.category, line.household.category)


def _build(out: IO[bytes], story: list, *, title: str, subject: str, footer: str, font: str):
    doc = _doc(out, title, subject, font)
    doc.build(story, canvasmaker=partial(NumberedCanvas, font=font, footer=footer))


def _bytes(write: Callable[[IO[bytes]], None]) -> bytes:
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


SIGN_HEADER = ["序号", "姓名", "身份证号码", "困难类别", "救助类别", "金额（元）", "签名", "日期"]
SIGN_WIDTHS = [w * mm for w in (10, 22, 40, 20, 20, 26, 24, 18)]


def _sign_rows(batch: PaymentBatch, full: bool, styles) -> Iterator[list]:
    for i, line in enumerate(line_blocks(batch), start=1):
        yield [
            str(i),
            Paragraph(escape(line.name), styles["cell"]),
            line.id_number if full or line.is_enterprise else mask_id(line.id_number),
            _category(line),
            line.get_aid_type_display(),
            _amount_cell(line, styles),
            "",
            "",
        ]


def _sign_table(font: str) -> Callable[[list, list[list], list | None], Table]:
    def make(header: list, body: list[list], total: list | None) -> Table:
        rows = [header, *body, *([total] if total else [])]
        heights = [8 * mm] + [ROW_HEIGHT] * len(body) + ([8 * mm] if total else [])
        table = _grid(rows, SIGN_WIDTHS, font, heights=heights, total_row=total is not None)
        if total:
            table.setStyle([("ALIGN", (5, -1), (5, -1), "RIGHT")])
        return table

    return make


def one_snapshot(write):
    """A print's totals and its lines, read in several queries while the pages are set, come
    from one snapshot of the batch even if someone edits it meanwhile: one transaction,
    REPEATABLE READ on PostgreSQL when the print's transaction is its own (SQLite's read
    transaction keeps one snapshot by itself)."""

    @wraps(write)
    def in_one_snapshot(*args, **kwargs):
        own = not connection.in_atomic_block
        with transaction.atomic():
            if own and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return write(*args, **kwargs)

    return in_one_snapshot


@one_snapshot
def write_sign_sheet(out: IO[bytes], *, batch: PaymentBatch, user) -> None:
    """签领表: one line per recipient with room to sign, a total row and page numbers. ID
    numbers in full (logged) for those who may see them, masked otherwise. The table is set a
    page at a time from blocks of lines (``StreamedTable``, ``line_blocks``)."""
    count, amount = printed_totals(batch)
    full = can_see_full_ids(user, batch.unit)
    if full and count:
        ids = _printable(batch).order_by("id").values_list("household_id", flat=True)
        log_export(user, batch, ids.iterator(), "export:sign-sheet")
    font = register_cjk_font()
    styles = _styles(font)
    title = f"{batch.campaign.name} 送温暖慰问金（物）签领表"
    total = ["合计", "", f"{count} 人", "", "", f"{amount:,.2f}", "", ""]
    rows = _sign_rows(batch, full, styles)
    table = StreamedTable(SIGN_HEADER, rows, _sign_table(font), total)
    info = (
        f"发放单位：{escape(batch.unit.name)}　　批次：{escape(batch.name)}　　"
        f"状态：{escape(batch.get_status_display())}"
    )
    story = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(info, styles["body"]),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 8 * mm),
        Paragraph(
            "经办人（签字）：____________　　审核人（签字）：____________　　"
            f"{escape(batch.unit.name)}（盖章）",
            styles["body"],
        ),
        Spacer(1, 2 * mm),
        Paragraph(
            "注：领取人须本人签名（或按手印）并写明领取日期；代领的须注明代领人姓名及关系。",
            styles["small"],
        ),
    ]
    footer = f"{batch.campaign.name}　{batch.unit.name}　{batch.name}　生成于 {_now()}"
    _build(out, story, title=title, subject=batch.unit.name, footer=footer, font=font)


def sign_sheet_pdf(*, batch: PaymentBatch, user) -> bytes:
    """The 签领表's bytes (``write_sign_sheet``); the download spools it to disk instead."""
    return _bytes(partial(write_sign_sheet, batch=batch, user=user))


def notice_period(start: str | None, days: str | None) -> tuple[dt.date | None, int]:
    """The notice's first day and length from a query string: ISO date, 1–60 days; what
    cannot be read falls back to the defaults (today, ``NOTICE_DAYS``)."""
    try:
        first = dt.date.fromisoformat(start) if start else None
    except ValueError:
        first = None
    length = int(days) if days and days.isdecimal() else NOTICE_DAYS
    return first, max(1, min(length, 60))


NOTICE_HEADER = ["序号", "姓名", "身份证号码", "救助类别", "发放方式", "金额（元）"]
NOTICE_WIDTHS = [w * mm for w in (12, 28, 44, 26, 36, 34)]


def _notice_rows(batch: PaymentBatch, styles) -> Iterator[list]:
    for i, line in enumerate(line_blocks(batch), start=1):
        kind = "现金" if line.kind == PaymentKind.CASH else f"实物（{line.goods}）"
        yield [
            str(i),
            Paragraph(escape(line.name), styles["cell"]),
            line.shown_number,
            line.get_aid_type_display(),
            Paragraph(escape(kind), styles["cell"]),
            f"{line.amount:,.2f}",
        ]


def _notice_table(font: str) -> Callable[[list, list[list], list | None], Table]:
    def make(header: list, body: list[list], total: list | None) -> Table:
        rows = [header, *body, *([total] if total else [])]
        table = _grid(rows, NOTICE_WIDTHS, font, total_row=total is not None)
        table.setStyle([("ALIGN", (5, 1), (5, -1), "RIGHT")])
        return table

    return make


@one_snapshot
def write_notice(
    out: IO[bytes], *, batch: PaymentBatch, start: dt.date | None = None, days: int = NOTICE_DAYS
) -> None:
    """公示名单: names, masked ID numbers and amounts, with the publicity period; set a page
    at a time like the 签领表."""
    count, amount = printed_totals(batch)
    start = start or timezone.localdate()
    end = start + dt.timedelta(days=max(days, 1) - 1)
    font = register_cjk_font()
    styles = _styles(font)
    unit, campaign = batch.unit, batch.campaign
    title = f"{campaign.name} 送温暖慰问金（物）发放公示名单"
    contact = ""
    if unit.contact_person or unit.contact_phone:
        contact = f"（联系人：{unit.contact_person}，电话：{unit.contact_phone}）"
    sentence = (
        f"根据{campaign.owner.name}关于开展“{campaign.name}”的要求，{unit.name}向以下 "
        f"{count} 户困难职工家庭发放送温暖慰问金（物）共计 {amount:,.2f} 元，"
        f"现予以公示。公示期为 {start:%Y年%m月%d日} 至 {end:%Y年%m月%d日}（{max(days, 1)} 天）。"
        f"如有异议，请在公示期内向{unit.name}反映{contact}。"
    )
    total = ["合计", "", f"{count} 户", "", "", f"{amount:,.2f}"]
    table = StreamedTable(NOTICE_HEADER, _notice_rows(batch, styles), _notice_table(font), total)
    story = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(sentence), styles["body"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 10 * mm),
        Paragraph(f"{escape(unit.name)}（盖章）", styles["right"]),
        Paragraph(f"{start:%Y年%m月%d日}", styles["right"]),
    ]
    footer = f"{campaign.name}　{unit.name}　{batch.name}"
    _build(out, story, title=title, subject=unit.name, footer=footer, font=font)


def notice_pdf(
    *, batch: PaymentBatch, start: dt.date | None = None, days: int = NOTICE_DAYS
) -> bytes:
    """The 公示名单's bytes (``write_notice``); the download spools it to disk instead."""
    return _bytes(partial(write_notice, batch=batch, start=start, days=days))


def bank_csv(*, batch: PaymentBatch, user) -> bytes:
    """The bank payroll file (UTF-8 with BOM): 姓名, 身份证号码 (full), 银行卡号, 金额 (two
    decimals), for the cash lines. Only for users who may see full ID numbers, only from a
    batch a reviewer approved; logged household by household."""
    if not can_see_full_ids(user, batch.unit):
        raise NotPermitted(
            "代发工资文件含完整身份证号码，只有本单位或上级单位的填报员、管理员可以导出"
        )
    if batch.approved_at is None:
        raise ApplicationError(
            _("银行代发文件只能从经上级单位审核员审批的批次导出：请审核员审批本批次后再导出"),
            code="not_approved",
        )
    lines = [line for line in printable_lines(batch) if line.kind == PaymentKind.CASH]
    if not lines:
        raise ApplicationError(_("批次中没有现金发放记录，无需生成银行代发文件"), code="no_cash")
    missing = [
        line for line in lines if line.household is None or not line.household.bank_account.strip()
    ]
    if missing:
        names = "、".join(f"{line.name}（{mask_id(line.id_number)}）" for line in missing[:10])
        more = f"等 {len(missing)} 户" if len(missing) > 10 else ""
        raise ApplicationError(
            f"以下发放对象没有银行卡号：{names}{more}（档案中没有登记，或不是建档的困难职工）。"
            "请先在档案中补录银行卡号，或改为现场发放（签领表）。",
            code="no_bank_account",
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(BANK_COLUMNS)
    for line in lines:
        writer.writerow(
            [
                csv_text(line.name),
                csv_text(line.id_number),
                csv_text(line.household.bank_account.strip()),
                f"{line.amount:.2f}",
            ]
        )
    log_export(user, batch, [line.household_id for line in lines], "export:bank")
    return ("\ufeff" + out.getvalue()).encode("utf-8")
