"""Reading an uploaded unit list (xlsx, xls or CSV in UTF-8 or GBK, through the one reader
``chunfeng.core.tables``) into the rows that ``orgunit_import`` takes, and its template."""

from __future__ import annotations

import csv
import io

from chunfeng.core.errors import ApplicationError
from chunfeng.core.tables import Bounds, Table

from .services import IMPORT_COLUMNS, REQUIRED_COLUMNS

# a city federation has a few thousand unions
BOUNDS = Bounds(unpacked=32 * 1024 * 1024, rows=20_000, columns=50)


def rows_from_upload(upload) -> list[tuple[int, dict[str, str]]]:
    """``(row number in the file, {column: text})`` for each data row of the upload (received
    within ``core.uploads.SHORT_LIST``)."""
    table = Table(upload.read(), upload.name or "", bounds=BOUNDS)
    header = table.header()
    missing = [c for c in REQUIRED_COLUMNS if c not in header.columns]
    if missing:
        raise ApplicationError(
            "文件缺少必需的列",
            code="missing_columns",
            details=[f"第 {header.row} 行：缺少列“{c}”" for c in missing],
        )
    return list(table.named_records())


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
