"""Open an uploaded report template whatever saved it (Excel, WPS, LibreOffice: xlsx; legacy
xls), through the one reader of uploaded files (``chunfeng.core.tables``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils.cell import coordinate_to_tuple

from chunfeng.core.errors import ApplicationError
from chunfeng.core.tables import Bounds, workbook_sheets

from .layout import MAP_SHEET


@dataclass
class Sheet:
    """The form sheet's cells and the hidden map, read into plain dicts."""

    values: dict[str, object]  # "D14" → value
    formulas: set[str] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)  # ranges such as "D14:E15"
    mapping: dict[str, object] = field(default_factory=dict)


# A template is a form sheet of a few hundred rows and its map: unpacked about 60 KB as written
# here, 130 KB once LibreOffice has re-saved it. A form of ten times as many items, with a
# picture pasted in, stays well inside these.
TEMPLATE_BOUNDS = Bounds(unpacked=16 * 1024 * 1024, rows=5_000, columns=64)


def read_upload(data: bytes, name: str = "") -> Sheet:
    sheets = workbook_sheets(data, name, bounds=TEMPLATE_BOUNDS)
    if MAP_SHEET not in sheets:
        _no_map()
    form = next((cells for title, cells in sheets.items() if title != MAP_SHEET), None)
    if form is None:
        _no_map()
    return Sheet(
        values=form.values,
        formulas=form.formulas,
        merged=form.merged,
        mapping=_mapping(sheets[MAP_SHEET].values),
    )


def _mapping(cells: dict[str, object]) -> dict[str, object]:
    """The map sheet's rows: column A holds a key, column B its value."""
    found = {}
    for address, key in cells.items():
        match = re.fullmatch(r"A(\d+)", address)
        if match and key not in (None, ""):
            value = cells.get(f"B{match.group(1)}")
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # calamine reads every number as a float
            found[str(key)] = value
    return found


def _no_map():
    raise ApplicationError(
        "这不是从本系统下载的报表模板（缺少隐藏的对照表），无法识别各数值所在的单元格。"
        "请先在报表页面下载模板，在模板中填写后上传。",
        code="not_template",
    )


def cell_in_ranges(address: str, ranges: list[str]) -> str | None:
    row, col = coordinate_to_tuple(address)
    for rng in ranges:
        start, _, end = rng.partition(":")
        r1, c1 = coordinate_to_tuple(start)
        r2, c2 = coordinate_to_tuple(end or start)
        if r1 <= row <= r2 and c1 <= col <= c2:
            return rng
    return None
