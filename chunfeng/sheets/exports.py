"""Reports and 汇总 as files: the official xlsx layout, the PDF print, and the unit-by-blank
table as xlsx and CSV (written as a stream, a block of units at a time)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from itertools import chain
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from chunfeng.core.safe import csv_text, row_value
from chunfeng.formdefs.values import format_value
from chunfeng.reports.selectors import ReportSlot, report_values
from chunfeng.rollups.branches import split_rows
from chunfeng.rollups.per_unit import unit_rows
from chunfeng.rollups.selectors import Summary

from .pdf import render_form_pdf
from .xlsx_form import SheetContext, build_workbook


def _header(report) -> dict:
    if report is None:
        return {}
    return {
        "filler_name": report.filler_name,
        "filler_phone": report.filler_phone,
        "fill_date": report.fill_date.isoformat() if report.fill_date else "",
    }


def report_context(slot: ReportSlot, kind: str = "report") -> SheetContext:
    values = report_values(slot.report, slot.definition)
    return SheetContext(
        kind,
        slot.campaign.pk,
        slot.campaign.name,
        slot.unit.code,
        slot.unit.name,
        _header(slot.report),
        values,
        slot.kind,
    )


def summary_context(summary: Summary) -> SheetContext:
    return SheetContext(
        "summary",
        summary.campaign.pk,
        summary.campaign.name,
        summary.unit.code,
        summary.unit.name,
        {},
        summary.values,
    )


def report_xlsx(slot: ReportSlot, kind: str = "report") -> bytes:
    return build_workbook(slot.definition, report_context(slot, kind))


def summary_xlsx(summary: Summary) -> bytes:
    """The 汇总 in the form's layout (合计), and a sheet of 本级 / 下级合计 / 合计 per blank."""
    extra = ("本级下级合计", split_table(summary))
    return build_workbook(summary.definition, summary_context(summary), extra)


def split_table(summary: Summary) -> list[list[str]]:
    """本级, the branches (when the unit has both), 下级合计, 合计 and the rule, per blank."""
    both = len(summary.split.present) > 1
    head = (
        ["代码", "名称", "本级"]
        + (["属地", "产业"] if both else [])
        + ["下级合计", "合计", "合计规则"]
    )
    rows = [head]
    for r in split_rows(summary.definition, summary.split, total_text):
        branches = [r.territory, r.industry] if both else []
        rows.append(
            [r.code, f"{r.label}（{r.unit}）", r.own, *branches, r.children, r.total, r.rule_label]
        )
    return rows


def total_text(blank, value) -> str:
    """Text of a value in a report or 汇总 (a yes/no total is a count of 是)."""
    if value is None:
        return ""
    if blank.type == "yesno" and not isinstance(value, bool):
        return f"{value}个“是”"
    return format_value(blank, value)


def _texts(definition, values: dict) -> dict[str, str]:
    return {code: total_text(definition.blanks[code], v) for code, v in values.items()}


def report_pdf(slot: ReportSlot) -> bytes:
    ctx = report_context(slot)
    return render_form_pdf(
        definition=slot.definition,
        unit_name=slot.unit.name + ("（本级）" if slot.own else ""),
        texts=_texts(slot.definition, ctx.values),
        header=ctx.header,
        campaign_name=slot.campaign.name,
        generated_at=_now(),
    )


def summary_pdf(summary: Summary) -> bytes:
    return render_form_pdf(
        definition=summary.definition,
        unit_name=summary.unit.name,
        texts=_texts(summary.definition, summary.values),
        summary=True,
        campaign_name=summary.campaign.name,
        generated_at=_now(),
        split=split_table(summary),
    )


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def _cell_value(blank, value):
    """A number for the spreadsheet (是/否 for a unit's yes/no answer)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _table_head(summary: Summary) -> list[str]:
    return ["单位代码", "单位名称"] + [
        f"{b.code} {b.label}（{b.unit}）" for b in summary.definition.blanks.values()
    ]


def _table_rows(summary: Summary, fmt=total_text) -> Iterator[list]:
    """A row per included unit, streamed (``rollups.per_unit.unit_rows``)."""
    blanks = list(summary.definition.blanks.values())
    for unit, values in unit_rows(summary):
        yield [unit.code, unit.name] + [fmt(b, values.get(b.code)) for b in blanks]


def _table_totals(summary: Summary, fmt=total_text) -> list[list]:
    blanks = list(summary.definition.blanks.values())
    split = summary.split
    lines = [("本级", split.own)]
    if len(split.present) > 1:
        lines += [
            ("属地小计", split.branches["territory"]),
            ("产业小计", split.branches["industry"]),
        ]
    lines += [("下级合计", split.children), ("合计", summary.values)]
    return [[label, ""] + [fmt(b, values.get(b.code)) for b in blanks] for label, values in lines]


def unit_table_csv(summary: Summary, out: IO[bytes]) -> None:
    """The unit-by-blank table as CSV (UTF-8 with a BOM, for Excel), written row by row."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(_table_head(summary))
    for row in chain(_table_rows(summary), _table_totals(summary)):
        writer.writerow([csv_text(v) for v in row])
    text.flush()
    text.detach()  # ``out`` stays open for its reader


def unit_table_xlsx(summary: Summary, out: IO[bytes]) -> None:
    """The unit-by-blank table as xlsx in openpyxl's write-only mode: rows go to a temporary
    file as they come, so memory does not grow with the number of units."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("分单位明细")
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    header = []
    for title in _table_head(summary):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    rows = chain(_table_rows(summary, _cell_value), _table_totals(summary, _cell_value))
    for row in rows:
        sheet.append([row_value(sheet, v) for v in row])
    book.save(out)


def _bytes_of(build):
    return lambda summary, out: out.write(build(summary))


# (what, ext) → a function writing the file of a 汇总 to a binary stream. The 汇总 itself and
# its PDF are the size of the form whatever the number of units; the table grows with them.
WRITERS = {
    ("summary", "xlsx"): _bytes_of(summary_xlsx),
    ("summary", "pdf"): _bytes_of(summary_pdf),
    ("table", "xlsx"): unit_table_xlsx,
    ("table", "csv"): unit_table_csv,
}


def spooled(what: str, ext: str, summary: Summary) -> IO[bytes]:
    """The file in a temporary file (on disk, not in memory), rewound for its reader."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response, which closes it
    WRITERS[(what, ext)](summary, out)
    out.seek(0)
    return out
