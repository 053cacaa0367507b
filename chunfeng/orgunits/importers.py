"""Reading an uploaded unit list (CSV in UTF-8 with or without BOM, or xlsx) into the rows that
``orgunit_import`` takes, and writing the template a user fills in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from chunfeng.core.errors import ApplicationError

from .services import IMPORT_COLUMNS, REQUIRED_COLUMNS

MAX_BYTES = 5 * 1024 * 1024


def rows_from_upload(upload) -> list[dict[str, str]]:
    """The data rows of an uploaded file as ``{column: text}``; ``rows[i]`` is file row i + 2."""
    if upload.size > MAX_BYTES:
        raise ApplicationError("文件过大，上限为 5 MB", code="too_large")
    name = upload.name.lower()
    if name.endswith(".csv"):
        return records(_csv_table(upload.read()))
    if name.endswith(".xlsx"):
        return records(_xlsx_table(upload.read()))
    raise ApplicationError(
        "只能导入 CSV（UTF-8）或 Excel xlsx 文件；旧版 .xls 文件请先另存为 .xlsx", code="bad_type"
    )


def records(table: list[list[str]]) -> list[dict[str, str]]:
    """Rows after the header row, keyed by the header's column names."""
    if not table or not any(table[0]):
        raise ApplicationError("文件是空的，第 1 行应为列名", code="import_empty")
    header = [cell.strip() for cell in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ApplicationError(
            "文件缺少必需的列", code="missing_columns",
            details=[f"第 1 行：缺少列“{c}”" for c in missing],
        )  # fmt: skip
    return [{h: cell for h, cell in zip(header, row, strict=False) if h} for row in table[1:]]


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            "CSV 文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入。",
            code="bad_encoding",
        ) from None
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx_table(data: bytes) -> list[list[str]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ApplicationError(
            "无法读取该 xlsx 文件，请确认文件没有损坏", code="bad_file"
        ) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value) -> str:
    """Cell values as typed: codes and phone numbers often arrive as numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def template_csv(*, parent_code: str) -> str:
    """The import template: the column names and one example row (with a BOM, so that Excel
    opens it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS)
    example = {"代码": f"{parent_code}901", "名称": "示例街道总工会", "类别": "基层工会"}
    example |= {"上级代码": parent_code, "联系人": "王五", "联系电话": "82000000"}
    writer.writerow([example[c] for c in IMPORT_COLUMNS])
    return "\ufeff" + out.getvalue()
