"""The one reader of uploaded spreadsheets and CSV files.

Every import — a report template, a household list, a unit list, a payment list — opens its
file here, so that a file is understood and refused the same way everywhere:

* what it is, by its content (not its name): xlsx (a zip), legacy xls (an OLE2 compound file,
  also the container of a password-protected xlsx), else CSV when the name says .csv/.txt;
* xlsx and xls are read with python-calamine, streaming row by row; CSV as UTF-8 (with or
  without BOM), else as GBK through its superset GB18030, the way Excel saves it in China,
  comma- or tab-separated;
* one set of refusals, each a Chinese ``ApplicationError``: ``bad_type`` (not a spreadsheet),
  ``damaged``, ``encrypted``, ``bad_encoding``, ``import_empty``;
* what a file may hold is bounded per route (``Bounds``) and checked before it is parsed
  (``inspect_zip``): an xlsx's parts by its zip directory, without unpacking them — how many,
  what they unpack to, how well they compress (a zip bomb compresses hundreds of times) — and
  each sheet's rows and columns by its ``<dimension>``; a sheet whose dimension lied is
  measured again once loaded, before its cells become Python values (``too_large``,
  ``too_many_rows``, ``too_many_columns``, ``suspicious_file``). XML entities (XXE, "billion
  laughs") are not expanded: python-calamine refuses an entity it does not know (``damaged``),
  openpyxl parses through defusedxml;
* rows are numbered as the file shows them (the first row is 1) and columns by letter, so that
  every problem can name its row and column (``cell_problem``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, PasswordError

from .errors import ApplicationError
from .zipcheck import DEFAULT_BOUNDS, Bounds, check_extent, inspect_zip

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
CSV_SUFFIXES = (".csv", ".txt")
HEADER_SEARCH_ROWS = 20
Source = str | os.PathLike | bytes


def refuse(message: str, code: str, details: list | None = None) -> ApplicationError:
    return ApplicationError(message, code=code, details=details or [])


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell_address(row: int, index: int) -> str:
    """Row number (from 1) and column index (from 0) → ``D14``."""
    return f"{column_letter(index)}{row}"


def cell_problem(row: int | None, column: str, message: str) -> dict:
    """A problem of an import, the way every import reports it."""
    where = f"第 {row} 行" if row is not None else ""
    return {
        "row": row,
        "column": column,
        "message": message,
        "text": f"{where}“{column}”：{message}" if column else f"{where}：{message}",
    }


def cell_text(value: Any) -> str:
    """A cell as text: Excel stores phone numbers and counts as floats (13812345678.0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def kind_of(head: bytes, name: str, *, csv: bool = True) -> str:
    """``xlsx``, ``xls`` or ``csv``, from the first bytes of the file (and its name for CSV;
    ``csv=False`` where only a workbook will do)."""
    label = Path(name or "").name or "上传的文件"
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(CFB_MAGIC):
        return "xls"
    if csv and (name or "").lower().endswith(CSV_SUFFIXES):
        return "csv"
    wanted = "Excel（xlsx/xls）或 CSV 文件" if csv else "Excel 文件（xlsx/xls）"
    raise refuse(
        f"“{label}”不是 {wanted}，无法读取。请上传从本系统下载的模板填写的文件。", "bad_type"
    )


def _damaged(name: str) -> ApplicationError:
    label = Path(name or "").name or "上传的文件"
    return refuse(
        f"“{label}”已损坏或不是完整的 Excel 文件，无法打开。请用 Excel 或 WPS 打开后“另存为 xlsx”再上传。",
        "damaged",
    )


def _encrypted() -> ApplicationError:
    return refuse(
        "文件设置了打开密码，系统无法读取。请在 Excel/WPS 中取消密码后另存再上传。", "encrypted"
    )


def _empty() -> ApplicationError:
    return refuse("文件是空的：第 1 行应为列名", "import_empty")


@dataclass
class Header:
    row: int  # its row number in the file
    columns: list[str]


class Table:
    """The first sheet of a workbook (or a named one), or a CSV file, read as numbered rows.

    ``source`` is a path (read as often as needed, without holding the file in memory) or the
    bytes of a small upload. Nothing is read until asked."""

    def __init__(
        self,
        source: Source,
        name: str = "",
        *,
        sheet: int | str = 0,
        bounds: Bounds = DEFAULT_BOUNDS,
    ):
        self.source = source
        self.name = name or (Path(source).name if not isinstance(source, bytes) else "")
        self.sheet = sheet
        self.bounds = bounds
        self.kind = kind_of(self._head(), self.name)
        self._encoding: str | None = None
        self._lines = 0
        self._header: Header | None = None
        self._loaded: Any = None  # the calamine sheet, read once for the header and the rows

    # --- raw access ----------------------------------------------------------------------
    def _head(self) -> bytes:
        if isinstance(self.source, bytes):
            return self.source[:8]
        try:
            with open(self.source, "rb") as fh:
                return fh.read(8)
        except OSError:
            raise _damaged(self.name) from None

    def _open_binary(self) -> Any:
        if isinstance(self.source, bytes):
            return io.BytesIO(self.source)
        return open(self.source, "rb")  # noqa: SIM115 - closed by the caller's with-block

    def rows(self) -> Iterator[tuple[int, list]]:
        """Every row as ``(row number, [cell values])``, numbered from 1."""
        if self.kind == "csv":
            yield from self._csv_rows()
        else:
            # iter_rows starts at the sheet's first row (empty rows above the data included)
            yield from enumerate(self._sheet().iter_rows(), start=1)

    def _sheet(self) -> Any:
        if self._loaded is None:
            workbook = open_calamine(self.source, self.name, self.kind, bounds=self.bounds)
            try:
                if isinstance(self.sheet, int):
                    sheet = workbook.get_sheet_by_index(self.sheet)
                else:
                    sheet = workbook.get_sheet_by_name(self.sheet)
            except Exception as exc:  # calamine raises its own error types
                raise _damaged(self.name) from exc
            check_extent(sheet.name, sheet.end, self.name, self.bounds)
            self._loaded = sheet
        return self._loaded

    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        encoding = self.encoding()
        with self._open_binary() as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            first = text.readline()
            text.seek(0)
            delimiter = "\t" if first.count("\t") > first.count(",") else ","
            yield from enumerate(csv.reader(text, delimiter=delimiter), start=1)
            text.detach()

    def encoding(self) -> str:
        """UTF-8 (with or without BOM), else GBK (read as its superset GB18030)."""
        if self._encoding is None:
            for encoding in ("utf-8-sig", "gb18030"):
                decoder = codecs.getincrementaldecoder(encoding)()
                lines = 0
                try:
                    with self._open_binary() as fh:
                        while block := fh.read(1 << 20):
                            decoder.decode(block)
                            lines += block.count(b"\n")
                        decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    continue
                self._encoding, self._lines = encoding, lines
                check_extent("", (lines - 1, 0), self.name, self.bounds)
                break
            else:
                raise refuse(
                    "无法识别 CSV 文件的编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入。",
                    "bad_encoding",
                )
        return self._encoding

    # --- the header and the data rows ----------------------------------------------------
    def header(self, search_rows: int = HEADER_SEARCH_ROWS) -> Header:
        """The first row with something in it (within the first ``search_rows``) holds the
        column names."""
        if self._header is None:
            for number, row in self.rows():
                if number > search_rows:
                    raise refuse(f"文件前 {search_rows} 行都是空行，找不到列名", "import_empty")
                columns = [cell_text(v) for v in row]
                if any(columns):
                    while columns and not columns[-1]:
                        columns.pop()
                    self._header = Header(number, columns)
                    break
            else:
                raise _empty()
        return self._header

    def estimate_rows(self) -> int:
        """About how many data rows there are (for a progress bar)."""
        header = self.header()
        if self.kind == "csv":
            self.encoding()
            return max(self._lines - header.row + 1, 1)
        end = self._sheet().end
        return max((end[0] + 1 if end else 0) - header.row, 1)

    def records(
        self, columns: dict[str, int], *, keep_numbers: frozenset[str] = frozenset()
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(row number, {name: value})`` for each row after the header that has something in
        one of ``columns`` (name → column index). Values are text, except a number in a column
        of ``keep_numbers`` (an ID number Excel turned into a number is reported as such)."""
        header = self.header()
        pairs = [(name, i) for name, i in columns.items() if i is not None]
        width = max((i for _, i in pairs), default=-1) + 1
        for number, row in self.rows():
            if number <= header.row:
                continue
            if len(row) < width:
                row = [*row, *[""] * (width - len(row))]
            data = {}
            blank = True
            for name, i in pairs:
                value = row[i]
                if type(value) is str:
                    value = value.strip()
                elif name not in keep_numbers or not is_number(value):
                    value = cell_text(value)
                if blank and value != "":
                    blank = False
                data[name] = value
            if not blank:
                yield number, data
        self._loaded = None  # read through: let the sheet's memory go

    def named_records(self, *, keep_numbers: frozenset[str] = frozenset()):
        """``records`` keyed by the header's own column names (first of equal names wins)."""
        columns: dict[str, int] = {}
        for i, name in enumerate(self.header().columns):
            if name:
                columns.setdefault(name, i)
        return self.records(columns, keep_numbers=keep_numbers)


def open_calamine(
    source: Source, name: str, kind: str | None = None, *, bounds: Bounds = DEFAULT_BOUNDS
) -> Any:
    """A calamine workbook of an xlsx or xls file, with the refusals of this module. An xlsx
    is inspected first (``inspect_zip``): nothing is parsed when it is out of ``bounds``."""
    head = source[:8] if isinstance(source, bytes) else None
    data = source if isinstance(source, bytes) else None
    if kind is None:
        kind = kind_of(head if head is not None else _read_head(source), name, csv=False)
    if kind == "xls" and _looks_encrypted(source):
        raise _encrypted()
    if kind == "xlsx":
        try:
            with io.BytesIO(data) if data is not None else open(source, "rb") as fh:
                inspect_zip(fh, name, bounds)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _damaged(name) from exc
    try:
        if data is not None:
            return CalamineWorkbook.from_filelike(io.BytesIO(data))
        return CalamineWorkbook.from_path(str(source))
    except PasswordError:
        raise _encrypted() from None
    except Exception as exc:  # calamine raises its own error types for broken files
        raise _damaged(name) from exc


def _read_head(path: Any) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(8)


def _looks_encrypted(source: Source) -> bool:
    """A password-protected xlsx is an OLE2 container holding an ``EncryptionInfo`` stream."""
    if isinstance(source, bytes):
        return ENCRYPTION_MARK in source
    with open(source, "rb") as fh:
        return ENCRYPTION_MARK in fh.read(1 << 20)


@dataclass
class SheetCells:
    """One sheet of a workbook as cells by address, for files whose layout is fixed (the
    report template): values, merged ranges and the cells that hold formulas."""

    values: dict[str, Any]
    merged: list[str]
    formulas: set[str]


def workbook_sheets(
    data: bytes, name: str = "", *, bounds: Bounds = DEFAULT_BOUNDS
) -> dict[str, SheetCells]:
    """Every sheet of an xlsx/xls upload, by sheet name, read cell by cell. Formulas are found
    in xlsx files only (an xls keeps just their cached values, which are read as values)."""
    workbook = open_calamine(data, name, bounds=bounds)
    loaded = {}
    for sheet_name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
        except Exception as exc:  # calamine raises its own error types
            raise _damaged(name) from exc
        check_extent(sheet_name, sheet.end, name, bounds)
        loaded[sheet_name] = sheet
    formulas = _xlsx_formulas(data) if data.startswith(b"PK") else {}
    sheets = {}
    for sheet_name, sheet in loaded.items():
        values = {}
        for r, row in enumerate(sheet.to_python(skip_empty_area=False), start=1):
            for c, value in enumerate(row):
                if value not in ("", None):
                    values[cell_address(r, c)] = value
        merged = [
            f"{cell_address(a[0] + 1, a[1])}:{cell_address(b[0] + 1, b[1])}"
            for a, b in (sheet.merged_cell_ranges or [])
        ]
        sheets[sheet_name] = SheetCells(values, merged, formulas.get(sheet_name, set()))
    return sheets


def _xlsx_formulas(data: bytes) -> dict[str, set[str]]:
    """The cells holding formulas, per sheet (openpyxl in read-only mode; it parses the XML
    with defusedxml when installed, as it is here)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a zip calamine could read but openpyxl cannot
        raise _damaged("") from exc
    try:
        return {
            ws.title: {
                cell.coordinate
                for row in ws.iter_rows()
                for cell in row
                if getattr(cell, "data_type", None) == "f"
            }
            for ws in book.worksheets
        }
    except Exception as exc:  # the sheets are parsed lazily: defusedxml's refusals land here
        raise _damaged("") from exc
    finally:
        book.close()
