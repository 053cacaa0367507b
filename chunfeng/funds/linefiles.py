"""Reading a payment list file (xlsx or CSV) into numbered rows, and its CSV template."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from chunfeng.core.errors import ApplicationError

from .services import IMPORT_MAX_BYTES, IMPORT_REQUIRED


def _header(cell) -> str:
    """“发放方式(现金/实物)” → “发放方式”."""
    return re.sub(r"[（(].*$", "", str(cell or "")).strip()


def read_line_rows(upload) -> list[tuple[int, dict]]:
    """(file row number, {column: raw value}) of an uploaded xlsx or CSV (UTF-8, or GB18030 as
    Excel saves it in China). ID numbers keep their cell type, so a number Excel mangled is
    reported as such rather than silently truncated."""
    if upload.size > IMPORT_MAX_BYTES:
        raise ApplicationError("文件过大，上限为 5 MB", code="too_large")
    name, data = upload.name.lower(), upload.read()
    if name.endswith(".csv"):
        table = _csv_table(data)
    elif name.endswith(".xlsx"):
        table = _xlsx_table(data)
    else:
        raise ApplicationError("只能导入 Excel xlsx 或 CSV 文件；旧版 .xls 请先另存为 .xlsx",
                               code="bad_type")  # fmt: skip
    if not table or not any(v not in (None, "") for v in table[0]):
        raise ApplicationError("文件是空的，第 1 行应为列名", code="import_empty")
    header = [_header(c) for c in table[0]]
    missing = [c for c in IMPORT_REQUIRED if c not in header]
    if missing:
        raise ApplicationError(
            "文件缺少必需的列", code="missing_columns",
            details=[{"row": 1, "column": c, "message": "缺少这一列",
                      "text": f"第 1 行：缺少列“{c}”"} for c in missing],
        )  # fmt: skip
    rows = []
    for i, raw in enumerate(table[1:], start=2):
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        rows.append((i, {h: v for h, v in zip(header, raw, strict=False) if h}))
    return rows


def _csv_table(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ApplicationError("无法识别 CSV 文件的编码，请另存为“CSV UTF-8（逗号分隔）”",
                               code="bad_encoding")  # fmt: skip
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx_table(data: bytes) -> list[list]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ApplicationError(
            "无法读取该 xlsx 文件，请确认文件没有损坏", code="bad_file"
        ) from None
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def import_template_csv() -> str:
    """The import template: the column names only (BOM, so that Excel opens it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(
        ["身份证号码", "姓名", "金额", "发放方式(现金/实物)", "实物名称", "救助类别", "发放日期"]
    )
    return "\ufeff" + out.getvalue()
