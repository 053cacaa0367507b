"""What an uploaded spreadsheet may hold, checked before anything parses it: the bounds of a
route (``Bounds``), an xlsx judged by its zip directory (``inspect_zip``) and a sheet's rows
and columns (``check_extent``). Used by the one reader, ``core.tables``, which re-exports
``Bounds``; a broken zip is left to it (``zipfile.BadZipFile``)."""

from __future__ import annotations

import os
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ApplicationError

MB = 1024 * 1024
MAX_PARTS = 1000  # an xlsx saved by Excel, WPS or LibreOffice has a few dozen
MAX_RATIO = 100  # a sheet's XML compresses 5–20 times; a zip bomb hundreds or a thousand
RATIO_FLOOR = MB  # a part smaller than this may compress as well as it likes
DIMENSION_HEAD = 4096  # the <dimension> element sits in the first few hundred bytes of a sheet


@dataclass(frozen=True)
class Bounds:
    """What one route's file may hold once opened: the parts of an xlsx unpacked together
    (bytes), and the rows and columns of a sheet. Each import passes its own."""

    unpacked: int = 64 * MB
    rows: int = 100_000
    columns: int = 256


DEFAULT_BOUNDS = Bounds()


def _refuse(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code)


def _label(name: str) -> str:
    return Path(name or "").name or "上传的文件"


def check_extent(sheet: str, end: tuple[int, int] | None, name: str, bounds: Bounds) -> None:
    """``end`` (last row and column, from 0) of a sheet against the route's bounds."""
    if end is None:
        return
    rows, columns = end[0] + 1, end[1] + 1
    where = f"“{_label(name)}”" + (f"的工作表“{sheet}”" if sheet else "")
    if rows > bounds.rows:
        raise _refuse(
            f"{where}有 {rows:,} 行，超过此处能读取的 {bounds.rows:,} 行。"
            "请删去多余的行（包括格式化过的空行），或拆分后分批上传。",
            "too_many_rows",
        )
    if columns > bounds.columns:
        raise _refuse(
            f"{where}有 {columns:,} 列，超过此处能读取的 {bounds.columns:,} 列。请删去多余的列后再上传。",
            "too_many_columns",
        )


def inspect_zip(fh: Any, name: str, bounds: Bounds) -> None:
    """An xlsx judged by its zip directory, before anything parses or unpacks it: how many
    parts, what they unpack to together, how well each compresses; then each sheet's rows and
    columns as its ``<dimension>`` states them (a few KB of it unpacked). Reads the file's end
    (the directory) and those few KB, never the parts themselves.

    The sizes checked are the ones the directory declares; python-calamine and Python's
    zipfile both stop a part that unpacks to more than its declared size (``damaged``)."""
    label = _label(name)
    suspicious = (
        f"“{label}”的内部结构异常（{{}}），不像是 Excel、WPS 或 LibreOffice 保存的文件，"
        "未读取。请用 Excel 或 WPS 打开后“另存为 xlsx”再上传。"
    )
    count = _zip_entry_count(fh)
    if count is not None and count > MAX_PARTS:
        raise _refuse(suspicious.format(f"含 {count:,} 个部件"), "suspicious_file")
    try:
        archive = zipfile.ZipFile(fh)
        parts = archive.infolist()
    except (ValueError, EOFError) as exc:
        raise zipfile.BadZipFile(str(exc)) from exc
    if len(parts) > MAX_PARTS:
        raise _refuse(suspicious.format(f"含 {len(parts):,} 个部件"), "suspicious_file")
    total = sum(p.file_size for p in parts)
    if total > bounds.unpacked:
        raise _refuse(
            f"“{label}”解压后有 {total / MB:,.0f} MB，超过此处能读取的 {bounds.unpacked // MB} MB，"
            "未读取。请删去多余的内容（图片、空行、其他工作表），或拆分后分批上传。",
            "too_large",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refuse(
                suspicious.format(f"{part.filename} 的压缩比为 {ratio:,.0f} : 1"), "suspicious_file"
            )
    for part in parts:
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", part.filename):
            check_extent("", _dimension(archive, part), name, bounds)


def _zip_entry_count(fh: Any) -> int | None:
    """The number of parts the end-of-directory record announces, read before Python's
    zipfile builds an object for each (a crafted directory may list millions); None when the
    record cannot be found (zipfile then says whether the file is damaged)."""
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    tail = min(size, 22 + 65535)
    fh.seek(size - tail)
    data = fh.read(tail)
    fh.seek(0)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) < at + 22:
        return None
    (entries,) = struct.unpack_from("<H", data, at + 10)
    return 1 << 16 if entries == 0xFFFF else entries  # 0xFFFF: a zip64 directory, more still


def _dimension(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> tuple[int, int] | None:
    """The last row and column (from 0) a sheet's ``<dimension ref="A1:H300">`` states."""
    try:
        with archive.open(part) as xml:
            head = xml.read(DIMENSION_HEAD)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None  # calamine will say what is wrong with the part
    match = re.search(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*:?([A-Z]+)(\d+)\"", head)
    if match is None:
        return None
    column = 0
    for letter in match.group(1).decode():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1
