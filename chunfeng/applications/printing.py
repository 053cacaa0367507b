"""公示: the printed notice of an application (names and masked ID numbers, as the payment
notice), in the embedded CJK font of ``chunfeng.core.printing``."""

from __future__ import annotations

import io
from functools import partial
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from chunfeng.core.errors import ApplicationError
from chunfeng.core.personal import mask_id
from chunfeng.core.printing import NumberedCanvas, register_cjk_font

from .models import Application, Status
from .standards import cause_labels

MARGIN = 18 * mm


def notice_pdf(application: Application) -> bytes:
    if application.status not in (Status.NOTICE, Status.APPROVED) or not application.notice_from:
        raise ApplicationError(_("申请尚未公示，没有公示书可打印"), code="bad_status")
    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)
    unit, causes = application.unit, cause_labels()
    parent = unit.parent.name if unit.parent_id else unit.name
    sentence = (
        f"经本人申请、{unit.name}初审和入户调查、{parent}审核及家庭经济状况核对，"
        f"拟将以下职工家庭纳入困难职工档案管理，现予以公示。公示期为 "
        f"{application.notice_from:%Y年%m月%d日} 至 {application.notice_until:%Y年%m月%d日}。"
        f"如有异议，请在公示期内向{unit.name}或{parent}反映"
        f"{'（联系电话：' + unit.contact_phone + '）' if unit.contact_phone else ''}。"
    )
    cause = causes.get(application.main_cause, application.main_cause)
    rows = [
        ["姓名", "身份证号码", "家庭人口", "困难类别", "主要致困原因"],
        [
            application.name,
            mask_id(application.id_number),
            f"{application.family_size} 人",
            application.category,
            cause,
        ],
    ]
    rows += [
        [f"{m.relation}：{m.name}", mask_id(m.id_number) if m.id_number else "", "", "", ""]
        for m in application.members.all()
    ]
    table = Table(rows, colWidths=[w * mm for w in (36, 48, 22, 22, 40)], repeatRows=1)
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 10),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    story = [
        Paragraph("困难职工建档公示", title),
        Spacer(1, 4 * mm),
        Paragraph(escape(sentence), body),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 12 * mm),
        Paragraph(f"{escape(unit.name)}（盖章）", right),
        Paragraph(f"{application.notice_from:%Y年%m月%d日}", right),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="困难职工建档公示",
        subject=unit.name,
        creator="春风 Chunfeng",
        invariant=True,
        initialFontName=font,
    )
    doc.build(story, canvasmaker=partial(NumberedCanvas, font=font, footer=unit.name))
    return buffer.getvalue()
