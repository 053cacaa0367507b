"""Printing shared by every PDF Chunfeng makes: the embedded CJK font and numbered pages.

Chinese text is set in the TrueType font WenQuanYi Micro Hei, embedded (as a subset) in each
PDF so the print reads the same on any viewer; never the built-in STSong-Light CID font, which
is not embedded and renders blank where the viewer has no CJK fonts."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

CJK_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
CJK_FONT_ENV = "CHUNFENG_CJK_FONT"

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
    """Defers the pages so each can say "第 N 页 共 M 页" once the total is known."""

    def __init__(self, *args: Any, font: str, footer: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._font, self._footer = font, footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width = A4[0]
        self.saveState()
        self.setFont(self._font, 9)
        self.drawCentredString(width / 2, 9 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
        if self._footer:
            self.setFont(self._font, 7.5)
            self.setFillColor(colors.grey)
            self.drawCentredString(width / 2, 13.5 * mm, self._footer)
        self.restoreState()
