import io

import openpyxl

from chunfeng.sheets.layout import MAP_SHEET


def cell_map(data: bytes) -> dict[str, str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    rows = wb[MAP_SHEET].iter_rows(values_only=True)
    return {k[6:]: v for k, v in rows if str(k).startswith("blank:")}


def fill(data: bytes, values: dict, *, edit=None) -> bytes:
    """Type ``values`` (code → cell value) into a template, as a user would in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = {
        k[6:]: v
        for k, v in wb[MAP_SHEET].iter_rows(values_only=True)
        if str(k).startswith("blank:")
    }
    ws = wb.worksheets[0]
    for code, value in values.items():
        ws[cells[code]] = value
    if edit:
        edit(wb, ws, cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def set_map(data: bytes, key: str, value) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for row in wb[MAP_SHEET].iter_rows():
        if row[0].value == key:
            row[1].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
