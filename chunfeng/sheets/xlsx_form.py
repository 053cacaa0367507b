"""The official form as an xlsx workbook: a template to fill offline, or a filled report or
汇总. Input cells are unlocked and typed; everything else is protected; a hidden sheet maps
each blank code to its cell so that an upload needs no guessing."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from chunfeng.core.safe import put_text
from chunfeng.formdefs.schema import Blank, FormDefinition

from .layout import COLUMNS, HEADER_ROWS, MAGIC, MAP_SHEET, layout_for

INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER_FORMATS = {"count": "0", "wan": "0.0000", "yuan": "0.00", "yesno": "@"}
HEADER_LABELS = {"filler_name": "filler", "filler_phone": "phone", "fill_date": "date"}


@dataclass(frozen=True)
class SheetContext:
    """What the sheet is for: ``kind`` is template, report or summary."""

    kind: str
    campaign_id: int
    campaign_name: str
    unit_code: str
    unit_name: str
    header: dict
    values: dict  # blank code → value (int, Decimal, bool, or an int count for 汇总 yes/no)
    filing: str = "filed"  # a report's filing: filed (合计) or own (本级)


def build_workbook(
    definition: FormDefinition, ctx: SheetContext, extra: tuple[str, list[list]] | None = None
) -> bytes:
    """The form's sheet; ``extra`` (a 汇总's 本级 / 下级合计 / 合计): a second sheet's name and
    rows, the first row bold."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(definition.title)
    layout = layout_for(definition)
    _title(ws, definition, ctx)
    _header(ws, definition, ctx)
    validations = _validations(ws)
    for row, kind, payload in layout.rows:
        if kind == "blank":
            _blank_row(ws, row, payload, ctx, validations)
        else:
            _text_row(ws, row, kind, payload)
    _notes(ws, definition, layout.notes_row)
    _page_setup(ws)
    _map_sheet(wb, definition, ctx, layout)
    ws.protection.sheet = True
    ws.protection.formatCells = False
    if extra is not None:
        _extra_sheet(wb, *extra)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Excel refuses these in a sheet's name; a form's title may have them (“困难职工/农民工…”)
_SHEET_NAME_SAFE = str.maketrans(":/\\?*[]", "：／＼？＊［］")


def sheet_title(title: str) -> str:
    """A valid sheet name for a form's title: at most 31 characters, none Excel refuses."""
    return title.translate(_SHEET_NAME_SAFE).strip("'")[:31] or "表单"


def _title(ws, definition, ctx):
    ws["A1"] = f"{definition.attachment}："
    ws.merge_cells("A2:F2")
    suffix = "（汇总）" if ctx.kind == "summary" else ("（本级）" if ctx.filing == "own" else "")
    ws["A2"] = definition.title + suffix
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.row_dimensions[2].height = 28
    for col, width in zip("ABCDEF", (6, 6, 58, 16, 9, 8), strict=True):
        ws.column_dimensions[col].width = width


def _header(ws, definition, ctx):
    labels = {h.code: h.label for h in definition.header}
    ws["A3"] = labels.get("unit", "填报单位")
    put_text(ws["C3"], ctx.unit_name)
    for key, row in HEADER_ROWS.items():
        ws[f"A{row}"] = labels.get(HEADER_LABELS[key], key)
        cell = ws[f"C{row}"]
        put_text(cell, ctx.header.get(key) or None)
        _input_style(cell, editable=ctx.kind != "summary")
    ws[f"D{HEADER_ROWS['fill_date']}"] = "格式：2012-01-08"
    for col, title in zip("ABCDEF", ("项目", "字母", "内容", "数值", "单位", "代码"), strict=True):
        ws[f"{col}7"] = title
        ws[f"{col}7"].font = Font(bold=True)
        ws[f"{col}7"].border = BOX


def _validations(ws) -> dict[str, DataValidation]:
    specs = {
        "count": DataValidation(
            type="whole", operator="between", formula1="0", formula2="1000000000"
        ),
        "wan": DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100000000"
        ),
        "yuan": DataValidation(
            type="decimal", operator="between", formula1="0", formula2="1000000000000"
        ),
        "yesno": DataValidation(type="list", formula1='"是,否"'),
    }
    messages = {
        "count": "请填不小于 0 的整数",
        "wan": "请填不小于 0 的数，万元最多 4 位小数",
        "yuan": "请填不小于 0 的数，元最多 2 位小数",
        "yesno": "请选择“是”或“否”",
    }
    for kind, dv in specs.items():
        dv.error, dv.errorTitle, dv.showErrorMessage = messages[kind], "填写有误", True
        dv.allow_blank = True
        ws.add_data_validation(dv)
    return specs


def _blank_row(ws, row, blank: Blank, ctx, validations):
    ws[f"{COLUMNS['text']}{row}"] = "　" + blank.label
    cell = ws[f"{COLUMNS['value']}{row}"]
    cell.value = _cell_value(blank, ctx.values.get(blank.code), ctx.kind)
    cell.number_format = NUMBER_FORMATS[blank.type]
    _input_style(cell, editable=ctx.kind != "summary")
    if ctx.kind != "summary":
        validations[blank.type].add(cell.coordinate)
    ws[f"{COLUMNS['unit']}{row}"] = blank.unit
    ws[f"{COLUMNS['code']}{row}"] = blank.code
    ws[f"{COLUMNS['code']}{row}"].font = Font(color="888888", size=9)


def _cell_value(blank: Blank, value, kind: str):
    if value is None:
        return None
    if blank.type == "yesno":
        return int(value) if kind == "summary" else ("是" if value else "否")
    return value


def _input_style(cell, *, editable: bool):
    cell.border = BOX
    if editable:
        cell.fill = INPUT_FILL
        cell.protection = Protection(locked=False)


def _text_row(ws, row, kind, payload):
    if kind == "intro":
        number, text = payload
        ws[f"A{row}"], ws[f"C{row}"] = number, text
    else:
        number, letter, text = payload
        ws[f"A{row}"], ws[f"B{row}"], ws[f"C{row}"] = number, letter, text
    ws[f"C{row}"].alignment = Alignment(wrap_text=True)
    ws[f"A{row}"].font = Font(bold=True)


def _notes(ws, definition, row):
    for i, note in enumerate(definition.notes):
        prefix = "注：" if i == 0 else "　　"
        number = f"{i + 1}．" if len(definition.notes) > 1 else ""
        ws[f"A{row + i}"] = f"{prefix}{number}{note}"


def _page_setup(ws):
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "7:7"
    ws.print_options.horizontalCentered = True


def _extra_sheet(wb, name: str, rows: list[list]) -> None:
    ws = wb.create_sheet(name, 1)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            put_text(ws.cell(row=r, column=c), value)
    for cell in ws[1]:
        cell.font = Font(bold=True)


def _map_sheet(wb, definition, ctx, layout):
    ms = wb.create_sheet(MAP_SHEET)
    ms.sheet_state = "veryHidden"
    meta = [
        ("magic", MAGIC),
        ("kind", ctx.kind),
        ("form", definition.code),
        ("version", definition.version),
        ("campaign", ctx.campaign_id),
        ("campaign_name", ctx.campaign_name),
        ("unit", ctx.unit_code),
        ("unit_name", ctx.unit_name),
        ("filing", ctx.filing),
    ]
    for row, (key, value) in enumerate(meta, start=1):
        ms.cell(row=row, column=1, value=key)
        put_text(ms.cell(row=row, column=2), value)
    for key, row in HEADER_ROWS.items():
        ms.append([f"header:{key}", f"C{row}"])
    for code, cell in layout.cells.items():
        ms.append([f"blank:{code}", cell])
    ms.protection.sheet = True
