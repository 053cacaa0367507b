"""Neutralise text that a spreadsheet would run as a formula (CSV/formula injection)."""

from openpyxl.cell import WriteOnlyCell

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS_START)


def csv_text(value):
    """For CSV: prefix dangerous text with an apostrophe, as OWASP recommends."""
    return "'" + value if is_dangerous(value) else value


def put_text(cell, value) -> None:
    """For xlsx: store text as a string cell with Excel's quote prefix, never as a formula
    (openpyxl would otherwise write text starting with '=' as a formula)."""
    cell.value = value
    if is_dangerous(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def row_value(sheet, value):
    """For a row appended to a write-only xlsx sheet: the value itself, or a text cell with the
    quote prefix when a spreadsheet would run it as a formula."""
    if not is_dangerous(value):
        return value
    cell = WriteOnlyCell(sheet)
    put_text(cell, value)
    return cell
