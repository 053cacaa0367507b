"""The print layout (PDF) of a report or a 汇总, laid out like the paper form (附件1/附件2).

The Chinese text is set in the TrueType font WenQuanYi Micro Hei, embedded (as a subset) in
the PDF, so the print reads the same on any viewer. Never the built-in STSong-Light CID font:
it is not embedded and renders blank where the viewer has no CJK fonts.
"""

from __future__ import annotations

import io
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from chunfeng.core.printing import CJK_FONT_PATH, NumberedCanvas, cjk_font_path, register_cjk_font
from chunfeng.formdefs.schema import FormDefinition, Item, Line

__all__ = ["CJK_FONT_PATH", "cjk_font_path", "render_form_pdf"]

MARGIN = 18 * mm
STAMP_SIZE = 45 * mm
BODY_SIZE = 10.5  # 五号
NBSP = "&nbsp;"
GAP_CHARS = 10  # an empty blank is this many spaces wide, underlined
NUMBER_WIDTH = 13 * mm
LETTER_WIDTH = 10 * mm
KEEP_TOGETHER_ROWS = 8  # longer items may split across pages
# header dict keys → the definition's header field codes
HEADER_KEYS = {"filler": "filler_name", "phone": "filler_phone", "date": "fill_date"}
DEFAULT_LABELS = {"unit": "填报单位", "date": "填报日期", "filler": "填报人", "phone": "联系电话"}
SUMMARY_NOTE = "本表为汇总表：各项数字为所属各单位报表数字的合计。"
EMPTY_DATE = "____年__月__日"
SIGN_GAP = "_" * 12


def render_form_pdf(
    *,
    definition: FormDefinition,
    unit_name: str,
    texts: dict[str, str],
    header: dict[str, str] | None = None,
    summary: bool = False,
    campaign_name: str = "",
    generated_at: str = "",
    split: list[list[str]] | None = None,
) -> bytes:
    """The form as printed on paper, with ``texts`` (blank code → text) filled in its blanks;
    a 汇总 also prints ``split``: its header row and one row per blank (本级, 下级合计, 合计)."""
    font = register_cjk_font()
    styles = _styles(font)
    labels = {**DEFAULT_LABELS, **{h.code: h.label for h in definition.header}}
    title = definition.title + ("（汇总）" if summary else "")
    story = [
        *_title_block(definition, title, summary, styles),
        _header_block(labels, unit_name, header or {}, styles),
        Spacer(1, 3 * mm),
        *(_item_block(definition, item, texts, styles) for item in definition.items),
        *_notes_block(definition.notes, styles),
        _footer_block(labels, styles),
        *_split_block(split, styles),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        subject=unit_name,
        creator="春风 Chunfeng",
        invariant=True,
        initialFontName=font,
        initialFontSize=BODY_SIZE,
    )
    footer = _footer_text(campaign_name, generated_at)
    doc.build(story, canvasmaker=partial(NumberedCanvas, font=font, footer=footer))
    return buffer.getvalue()


# ---- styles and small helpers ---------------------------------------------------------------


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=font, fontSize=BODY_SIZE, leading=15.5, wordWrap="CJK", splitLongWords=1
    )
    return {
        "body": body,
        "attachment": ParagraphStyle("attachment", parent=body, fontSize=12, leading=16),
        "title": ParagraphStyle(
            "title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=2
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=9.5, leading=14, alignment=TA_CENTER
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
    }


def _gap(text: str | None, width: int = GAP_CHARS) -> str:
    """An underlined blank holding ``text`` (escaped), at least about ``width`` characters wide."""
    text = (text or "").strip()
    pad = max(1, (width - len(text)) // 2)
    return f"<u>{NBSP * pad}{escape(text)}{NBSP * pad}</u>"


def _plain_table(rows, widths, styles, extra=()) -> Table:
    """A borderless layout table; string cells (even empty ones) in the CJK font too."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), styles["body"].fontName, BODY_SIZE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            *extra,
        ]
    )
    return table


def _split_block(rows: list[list[str]] | None, styles) -> list:
    """The 本级 / 下级合计 / 合计 table of a 汇总, one row per blank, on its own page."""
    if not rows:
        return []
    small = ParagraphStyle("small", parent=styles["body"], fontSize=8, leading=10)
    cells = [[Paragraph(escape(str(v)), small) for v in row] for row in rows]
    width = _frame_width()
    first = [0.09 * width, 0.31 * width]
    rest = (width - sum(first)) / (len(rows[0]) - 2)
    table = Table(cells, colWidths=first + [rest] * (len(rows[0]) - 2), repeatRows=1)
    table.setStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black)])
    heading = Paragraph("本级、下级合计与合计", styles["subtitle"])
    return [PageBreak(), heading, Spacer(1, 2 * mm), table]


def _frame_width() -> float:
    return A4[0] - 2 * MARGIN


# ---- blocks ---------------------------------------------------------------------------------


def _title_block(definition: FormDefinition, title: str, summary: bool, styles) -> list:
    block = [
        Paragraph(escape(f"{definition.attachment}："), styles["attachment"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(title), styles["title"]),
    ]
    if summary:
        block.append(Paragraph(escape(SUMMARY_NOTE), styles["subtitle"]))
    block.append(Spacer(1, 3 * mm))
    return block


def _field(label: str, value: str, style, width: int = 14) -> Paragraph:
    return Paragraph(f"{escape(label)}：{_gap(value, width)}", style)


def _header_block(labels: dict[str, str], unit_name: str, header: dict, styles) -> Table:
    """填报单位 and the date on one line, 填报人 and 联系电话 on the next, as on the paper form."""
    body, right = styles["body"], styles["right"]
    date = (header.get(HEADER_KEYS["date"]) or "").strip()
    rows = [
        [
            _field(labels["unit"], unit_name, body, 24),
            _field(labels["date"], date, right, 12)
            if date
            else Paragraph(f"{escape(labels['date'])}：{EMPTY_DATE}", right),
        ],
        [
            _field(labels["filler"], header.get(HEADER_KEYS["filler"], ""), body),
            _field(labels["phone"], header.get(HEADER_KEYS["phone"], ""), right),
        ],
    ]
    width = _frame_width()
    return _plain_table(
        rows, [width * 0.62, width * 0.38], styles, [("TOPPADDING", (0, 0), (-1, -1), 3)]
    )


def _line_markup(line: Line, texts: dict[str, str]) -> str:
    """The sentence with each blank's text inline, underlined (an empty gap when missing)."""
    parts = [_gap(texts.get(s.blank)) if s.blank else escape(s.text) for s in line.segments]
    return "".join(parts)


def _item_rows(definition: FormDefinition, item: Item, texts: dict[str, str], body) -> list:
    """Rows [number, letter, sentence]; ``None`` as sentence: the text spans both columns."""
    rows: list[list] = []
    if item.intro:
        rows.append(["", Paragraph(escape(item.intro), body), None])
    for line in item.lines:
        text = Paragraph(_line_markup(line, texts), body)
        if line.letter:
            rows.append(["", Paragraph(f"({escape(line.letter)})", body), text])
        else:
            rows.append(["", text, None])
    rows[0][0] = Paragraph(escape(definition.item_label(item.number)), body)
    return rows


def _item_block(definition: FormDefinition, item: Item, texts: dict[str, str], styles):
    """One item: its number, the intro if any, then each line with its "(A)" letter."""
    rows = _item_rows(definition, item, texts, styles["body"])
    spans = [("SPAN", (1, i), (2, i)) for i, row in enumerate(rows) if row[2] is None]
    rows = [[cell if cell is not None else "" for cell in row] for row in rows]
    widths = [NUMBER_WIDTH, LETTER_WIDTH, _frame_width() - NUMBER_WIDTH - LETTER_WIDTH]
    extra = [*spans, ("TOPPADDING", (0, 0), (-1, 0), 4), ("BOTTOMPADDING", (0, -1), (-1, -1), 4)]
    if len(rows) <= KEEP_TOGETHER_ROWS:
        return KeepTogether([_plain_table(rows, widths, styles, extra)])
    # a long item may run on to the next page (as on the paper form), never leaving its number
    # with fewer than three lines nor a single line alone
    guards = [("NOSPLIT", (0, 0), (-1, 2)), ("NOSPLIT", (0, -2), (-1, -1))]
    return _plain_table(rows, widths, styles, [*extra, *guards])


def _notes_block(notes: tuple[str, ...], styles) -> list:
    """ "注：" and the notes, numbered "1．", "2．" when more than one (as on the paper form)."""
    if not notes:
        return []
    body = styles["body"]
    texts = [f"{i}．{n}" for i, n in enumerate(notes, start=1)] if len(notes) > 1 else notes
    rows = [
        [Paragraph("注：" if i == 0 else "", body), Paragraph(escape(text), body)]
        for i, text in enumerate(texts)
    ]
    label = 9 * mm
    return [Spacer(1, 2 * mm), _plain_table(rows, [label, _frame_width() - label], styles)]


def _footer_block(labels: dict[str, str], styles) -> KeepTogether:
    """Room for the unit's stamp (a box about 45 mm square), then the signature line."""
    width = _frame_width()
    caption = Paragraph(escape(f"{labels['unit']}（盖章）"), styles["center"])
    box = Table([[""]], colWidths=[STAMP_SIZE], rowHeights=[STAMP_SIZE])
    box.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), styles["body"].fontName),
            ("BOX", (0, 0), (-1, -1), 0.6, colors.grey, None, (2, 2)),
        ]
    )
    stamp = _plain_table(
        [["", caption], ["", box]],
        [width - STAMP_SIZE, STAMP_SIZE],
        styles,
        [("BOTTOMPADDING", (0, 0), (-1, 0), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
    )
    signature = Paragraph(
        f"单位负责人（签字）：{SIGN_GAP}　　{escape(labels['filler'])}（签字）：{SIGN_GAP}"
        f"　　日期：{EMPTY_DATE}",
        styles["body"],
    )
    return KeepTogether([Spacer(1, 6 * mm), stamp, Spacer(1, 5 * mm), signature])


def _footer_text(campaign_name: str, generated_at: str) -> str:
    parts = [campaign_name.strip()]
    if generated_at.strip():
        parts.append(f"生成于 {generated_at.strip()}")
    return "　".join(p for p in parts if p)
