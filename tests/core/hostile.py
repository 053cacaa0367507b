"""Crafted spreadsheets an attacker would upload: a zip bomb, parts whose declared sizes lie,
a directory of thousands of parts, a sheet whose dimension says a million rows, XML external
entities and nested entities ("billion laughs"). Built from a real openpyxl workbook whose
parts are swapped."""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


def workbook(rows=(("姓名", "身份证号码"), ("王大山", "210202196503120016"))) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes], *, extra: int = 0) -> bytes:
    """``data`` with some parts replaced (and ``extra`` empty parts added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, parts.get(info.filename, source.read(info.filename)))
        for i in range(extra):
            archive.writestr(f"customXml/item{i}.xml", b"")
    return out.getvalue()


def sheet_xml(rows: bytes, *, doctype: bytes = b"", dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype + b"<worksheet "
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + dim
        + b"<sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


def text_row(text: bytes, row: int = 1) -> bytes:
    return (
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>'.encode()
        + text
        + b"</t></is></c></row>"
    )


def zip_bomb(unpacked_mb: int = 52) -> bytes:
    """A workbook whose one sheet unpacks to ``unpacked_mb`` MB of cells (~160 KB for 52), with
    no dimension to tell its size."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    rows = row * (unpacked_mb * MB // len(row))
    return with_parts(workbook(), {SHEET: sheet_xml(rows)})


def lying_sizes(data: bytes, part: str = SHEET, size: int = 4000) -> bytes:
    """``data`` whose directory and local header declare ``part`` to unpack to ``size``."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    out = bytearray(data)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    at, name = 0, part.encode()
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        (length,) = struct.unpack_from("<H", out, at + 28)
        if bytes(out[at + 46 : at + 46 + length]) == name:
            struct.pack_into("<I", out, at + 24, size)
        at += 4
    return bytes(out)


def many_parts(count: int) -> bytes:
    return with_parts(workbook(), {}, extra=count)


def dimension(ref: str, rows: int = 2) -> bytes:
    body = b"".join(text_row(b"x", r) for r in range(1, rows + 1))
    return with_parts(workbook(), {SHEET: sheet_xml(body, dimension=ref)})


def external_entity(path: str = "/etc/passwd", *, used: bool = True) -> bytes:
    doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{path}">]>'.encode()
    cell = b"&xxe;" if used else b"x"
    return with_parts(workbook(), {SHEET: sheet_xml(text_row(cell), doctype=doctype)})


def billion_laughs(*, used: bool = True) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    doctype = ("<!DOCTYPE worksheet [" + "".join(entities) + "]>").encode()
    cell = b"&lol9;" if used else b"x"
    return with_parts(workbook(), {SHEET: sheet_xml(text_row(cell), doctype=doctype)})


class CountingFile(io.BytesIO):
    """A file that counts the bytes read from it."""

    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk
