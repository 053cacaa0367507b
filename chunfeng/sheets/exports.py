"""Reports and 汇总 as files: the official xlsx layout, the PDF print, and the unit-by-blank
table as xlsx and CSV."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from chunfeng.core.safe import csv_text, put_text
from chunfeng.formdefs.values import format_value
from chunfeng.reports.selectors import ReportSlot, report_values
from chunfeng.rollups.branches import split_rows
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


def _table_rows(summary: Summary, fmt=total_text):
    blanks = list(summary.definition.blanks.values())
    head = ["单位代码", "单位名称"] + [f"{b.code} {b.label}（{b.unit}）" for b in blanks]
    rows = [
        [u.code, u.name] + [fmt(b, summary.per_unit[u.code].get(b.code)) for b in blanks]
        for u in summary.included
    ]
    split = summary.split
    lines = [("本级", split.own)]
    if len(split.present) > 1:
        lines += [
            ("属地小计", split.branches["territory"]),
            ("产业小计", split.branches["industry"]),
        ]
    lines += [("下级合计", split.children), ("合计", summary.values)]
    total = [[label, ""] + [fmt(b, values.get(b.code)) for b in blanks] for label, values in lines]
    return head, rows, total


def unit_table_csv(summary: Summary) -> bytes:
    head, rows, total = _table_rows(summary)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [head, *rows, *total]:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def unit_table_xlsx(summary: Summary) -> bytes:
    head, rows, total = _table_rows(summary, _cell_value)
    wb = Workbook()
    ws = wb.active
    ws.title = "分单位明细"
    for r, row in enumerate([head, *rows, *total], start=1):
        for c, value in enumerate(row, start=1):
            put_text(ws.cell(row=r, column=c), value)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
