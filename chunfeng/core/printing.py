"""Printing shared by every PDF Chunfeng makes: the embedded CJK font, numbered pages, long
tables set a page at a time, and the file spooled to disk for the response.

Chinese text is set in the TrueType font WenQuanYi Micro Hei, embedded (as a subset) in each
PDF so the print reads the same on any viewer; never the built-in STSong-Light CID font, which
is not embedded and renders blank where the viewer has no CJK fonts."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

CJK_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
CJK_FONT_ENV = "CHUNFENG_CJK_FONT"

STREAM_BLOCK = 64  # rows a streamed table reads first for a page (more if they all fit)

_registered: dict[str, str] = {}


def cjk_font_path() -> str:
    return os.environ.get(CJK_FONT_ENV) or CJK_FONT_PATH


def register_cjk_font() -> str:
    """Register the CJK TrueType font (once per file) and return its reportlab name."""
    path = cjk_font_path()
    if path in _registered:
        return _registered[path]
    if not os.path.isfile(path):
        raise RuntimeError(_font_hint(path, "找不到中文字体文件", "CJK font file not found"))
    name = "ChunfengCJK-" + hashlib.sha1(path.encode()).hexdigest()[:8]
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError) as exc:
        raise RuntimeError(
            _font_hint(path, "无法读取中文字体", f"cannot load CJK font ({exc})")
        ) from exc
    # one face only: bold/italic markup falls back to the same face instead of failing
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    _registered[path] = name
    return name


def _font_hint(path: str, zh: str, en: str) -> str:
    return (
        f"{zh}：{path}。请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），"
        f"或用环境变量 {CJK_FONT_ENV} 指定 TrueType 字体文件。 / {en}: {path}. "
        f"Install fonts-wqy-microhei (apt-get install fonts-wqy-microhei) "
        f"or point {CJK_FONT_ENV} to a TrueType font file."
    )


class NumberedCanvas(Canvas):
    """Says "第 N 页 共 M 页" on each page without holding the pages until the total is known:
    a page shows its number as a form (a PDF XObject) drawn when the document is saved, so a
    page goes to the document as soon as it is full and memory does not grow with the pages."""

    def __init__(self, *args: Any, font: str, footer: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._font, self._footer = font, footer
        self._numbered = 0

    def showPage(self):  # noqa: N802 - reportlab's name
        self._numbered += 1
        self.saveState()
        self.doForm(_page_form(self._numbered))
        if self._footer:
            self.setFont(self._font, 7.5)
            self.setFillColor(colors.grey)
            self.drawCentredString(A4[0] / 2, 13.5 * mm, self._footer)
        self.restoreState()
        super().showPage()
        _compress_now(self._doc.Pages.pages[-1])

    def save(self):
        for number in range(1, self._numbered + 1):
            self.beginForm(_page_form(number))
            self.setFont(self._font, 9)
            self.drawCentredString(A4[0] / 2, 9 * mm, f"第 {number} 页 共 {self._numbered} 页")
            self.endForm()
        super().save()


def _page_form(number: int) -> str:
    return f"page-number-{number}"


def _compress_now(page: pdfdoc.PDFPage) -> None:
    """Encode a finished page's content as reportlab would when the document is saved (the
    same filters, the same bytes), so that the document holds it compressed meanwhile."""
    if not page.compression or not page.stream:
        return
    filters = [pdfdoc.PDFZCompress]
    if rl_config.useA85:
        filters.insert(0, pdfdoc.PDFBase85Encode)
    content = page.stream
    for step in reversed(filters):
        content = step.encode(content)
    names = pdfdoc.PDFArray([pdfdoc.PDFName(step.pdfname) for step in filters])
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": names}), content)
    stream.__Comment__ = "page stream"
    page.Contents, page.stream = stream, None


class StreamedTable(Flowable):
    """A table of any number of rows set a page at a time, as one ``Table`` with a repeated
    header row would be split by platypus, without the rows or the giant table in memory.

    ``rows`` is read only as far as the page being set needs: each page is a ``Table`` made by
    ``make(header, body, last)`` of the header and the rows that fit (``last`` is the row
    closing the table, a total, given once the rows have run out), and the rows left over
    wait for the next page. So at most a few pages' rows exist at once, whatever the length."""

    def __init__(
        self,
        header: list,
        rows: Iterator[list],
        make: Callable[[list, list[list], list | None], Table],
        last: list | None = None,
        *,
        waiting: Iterable[list] = (),
    ):
        super().__init__()
        self._header, self._rows, self._make, self._last = header, rows, make, last
        self._waiting = list(waiting)
        self._ended = False
        self._table: Table | None = None

    def _pull(self, count: int) -> None:
        while not self._ended and len(self._waiting) < count:
            row = next(self._rows, None)
            if row is None:
                self._ended = True
            else:
                self._waiting.append(row)

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        want = max(STREAM_BLOCK, len(self._waiting))
        while True:  # enough rows to overflow the room left, or all that are left
            self._pull(want)
            last = self._last if self._ended else None
            self._table = self._make(self._header, self._waiting, last)
            width, height = self._table.wrapOn(self.canv, availWidth, availHeight)
            if height > availHeight or self._ended:
                self.width, self.height = width, height
                return width, height
            want *= 2

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        self.wrap(availWidth, availHeight)  # the rows for this very room
        assert self._table is not None
        parts = self._table.splitOn(self.canv, availWidth, availHeight)
        if not parts:
            return []  # not even one row fits: platypus goes on to the next page
        first = parts[0]
        taken = len(first._cellvalues) - 1  # the rows it holds, less the header
        if self._ended and taken >= len(self._waiting) + (self._last is not None):
            return [first]  # every row fitted after all
        rest = StreamedTable(
            self._header, self._rows, self._make, self._last, waiting=self._waiting[taken:]
        )
        rest._ended = self._ended
        return [first, rest]

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - reportlab's name
        assert self._table is not None
        self._table.drawOn(canvas, x, y, _sW)


def spooled_pdf(write: Callable[[IO[bytes]], None]) -> IO[bytes]:
    """A PDF written into a temporary file (on disk, not in memory), rewound for its reader
    (a ``FileResponse``, which closes it)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response, which closes it
    write(out)
    out.seek(0)
    return out
