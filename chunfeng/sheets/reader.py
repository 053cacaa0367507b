"""Open an uploaded spreadsheet whatever saved it (Excel, WPS, LibreOffice: xlsx; legacy xls),
telling apart the ways a file can be unusable, each with its own Chinese message."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple

from chunfeng.core.errors import ApplicationError

from .layout import MAP_SHEET

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass
class Sheet:
    """The form sheet's cells and the hidden map, read into plain dicts."""

    values: dict[str, object]  # "D14" → value
    formulas: set[str] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)  # ranges such as "D14:E15"
    mapping: dict[str, object] = field(default_factory=dict)


def _fail(message: str, code: str):
    raise ApplicationError(message, code=code)


def read_upload(data: bytes, name: str = "") -> Sheet:
    if data.startswith(CFB_MAGIC):
        if ENCRYPTION_MARK in data:
            _fail("文件设置了打开密码，系统无法读取。请在 Excel/WPS 中取消密码后另存再上传。",
                  "encrypted")  # fmt: skip
        return _read_xls(data)
    if not data.startswith(b"PK"):
        _fail(f"“{name or '上传的文件'}”不是 Excel 文件（xlsx/xls），请上传从本系统下载的模板。",
              "not_excel")  # fmt: skip
    return _read_xlsx(data)


def _read_xlsx(data: bytes) -> Sheet:
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ApplicationError(
            "文件已损坏，无法打开（不是完整的 xlsx 文件）。请重新保存或重新下载模板。",
            code="damaged",
        ) from exc
    if MAP_SHEET not in wb.sheetnames:
        _no_map()
    form = next(ws for ws in wb.worksheets if ws.title != MAP_SHEET)
    sheet = Sheet(values={}, merged=[str(r) for r in form.merged_cells.ranges])
    for row in form.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            if cell.data_type == "f":
                sheet.formulas.add(cell.coordinate)
            sheet.values[cell.coordinate] = cell.value
    sheet.mapping = _mapping(wb[MAP_SHEET].iter_rows(values_only=True))
    return sheet


def _read_xls(data: bytes) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ApplicationError("xls 文件已损坏或格式不受支持，请另存为 xlsx 后再上传。",
                               code="damaged") from exc  # fmt: skip
    if MAP_SHEET not in wb.sheet_names:
        _no_map()
    form_name = next(n for n in wb.sheet_names if n != MAP_SHEET)
    sheet = Sheet(values={})
    for r, row in enumerate(wb.get_sheet_by_name(form_name).to_python(skip_empty_area=False)):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.values[_address(r + 1, c + 1)] = value
    sheet.mapping = _mapping(wb.get_sheet_by_name(MAP_SHEET).to_python())
    return sheet


def _address(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _mapping(rows) -> dict[str, object]:
    return {str(r[0]): r[1] for r in rows if r and r[0] not in (None, "")}


def _no_map():
    _fail("这不是从本系统下载的报表模板（缺少隐藏的对照表），无法识别各数值所在的单元格。"
          "请先在报表页面下载模板，在模板中填写后上传。", "not_template")  # fmt: skip


def cell_in_ranges(address: str, ranges: list[str]) -> str | None:
    row, col = coordinate_to_tuple(address)
    for rng in ranges:
        start, _, end = rng.partition(":")
        r1, c1 = coordinate_to_tuple(start)
        r2, c2 = coordinate_to_tuple(end or start)
        if r1 <= row <= r2 and c1 <= col <= c2:
            return rng
    return None
