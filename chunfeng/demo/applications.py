"""Demo hardship applications and the 2011 低保标准 of Dalian's districts.

The standards: 大连市 raised the urban minimum-living line of its city districts to 400 元 per
person per month in 2011 (as reported at the time; the effective date of 1 July 2011 here is an
example). The figures for the counties and county-level cities (瓦房店、普兰店、庄河、长海) and the
C margin of 1.5 × the line are EXAMPLES, not official figures: an installation enters its own.

The applications, all in 中山区 (filed by 青泥洼桥街道, checked by 中山区总工会's help centre),
stand at several steps: waiting for the first check, for the home visit, for the review, for
the economic-status check, returned at the review, and in public notice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from chunfeng.applications.models import Standard
from chunfeng.applications.services import application_create, document_add
from chunfeng.applications.workflow import (
    application_check,
    application_notice,
    application_return,
    application_review,
    application_verify,
    application_visit,
)

from .register import ident

URBAN = ("210202", "210203", "210204", "210211", "210212", "210213")
EXAMPLE = "示例数据：大连市 2011 年市内城区城市低保标准提高至 400 元/人/月（执行日期为示例）"
COUNTY_EXAMPLE = "示例数据，非官方标准"
COUNTIES = {"210224": "340.00", "210281": "330.00", "210282": "330.00", "210283": "330.00"}
USCC = "91210200MA0QC5TX7Q"  # an example code with a valid check character

APPLICANTS = [  # name, birth, income a month, family, category, causes, step
    ("周建华", "19700315", "900", 3, "B", ["illness", "schooling"], "submitted"),
    ("吴淑珍", "19660722", "1500", 3, "C", ["unemployment"], "checked"),
    ("郑国强", "19781103", "2400", 4, "D", ["accident"], "visited"),
    ("冯丽", "19830508", "700", 2, "B", ["disability"], "reviewed"),
    ("褚明", "19750930", "1000", 2, "C", ["low_income", "schooling"], "returned"),
    ("卫红梅", "19690214", "1050", 3, "B", ["illness"], "notice"),
]


def demo_standards(units: dict) -> None:
    city = units["210200"]
    rows = [("210200", "大连市", "400.00", EXAMPLE)]
    rows += [(code, units[code].name.removesuffix("总工会"), "400.00", EXAMPLE) for code in URBAN]
    rows += [
        (code, units[code].name.removesuffix("总工会"), line, COUNTY_EXAMPLE)
        for code, line in COUNTIES.items()
    ]
    for code, name, line, source in rows:
        Standard.objects.create(
            region_code=code,
            region_name=name,
            year=2011,
            low_line=Decimal(line),
            c_margin=Decimal("1.50"),
            effective_from=dt.date(2011, 7, 1),
            notice_days=7,
            source=source,
            set_by=units[code] if code in units and code != "210200" else city,
        )


def demo_applications(users: dict, units: dict) -> None:
    demo_standards(units)
    street, g, centre = units["210202001"], users["qnwq_filler"], users["zs_reviewer"]
    today = dt.date(2011, 12, 10)
    for seq, (name, birth, income, size, category, causes, step) in enumerate(APPLICANTS, 41):
        data = {
            "name": name,
            "id_number": ident(birth, seq),
            "phone": f"1390411{seq:04d}",
            "region_code": "210202",
            "street": "青泥洼桥街道",
            "address": f"大连市中山区友好路 {seq} 号",
            "employer": "大连市中山区某企业",
            "employer_uscc": USCC,
            "post": "操作工",
            "main_cause": causes[0],
            "other_causes": causes[1:],
            "category": category,
            "bank_name": "中国工商银行大连分行",
            "bank_account": f"62220234001{seq:05d}",
            "income_items": [{"item": "工资", "amount": income}],
            "members": [
                {"name": f"{name[0]}家属{i}", "relation": "配偶" if i == 1 else "子女"}
                for i in range(1, size)
            ],
        }
        a = application_create(unit=street, data=data, actor=g, on=today)
        order = ["submitted", "checked", "visited", "reviewed", "returned", "notice"]
        reach = order.index(step)
        if reach >= 1:
            a = application_check(application=a, actor=g, note="材料齐全")
        if reach >= 2:
            for kind, file in (("signed", "申请书.pdf"), ("consent", "核对授权书.pdf")):
                document_add(
                    application=a, kind=kind, upload=ContentFile(b"%PDF-1.4 demo", file), actor=g
                )
            a = application_visit(
                application=a,
                actor=g,
                visited_on=dt.date(2011, 12, 5),
                visitors="街道工会 王干事、社区 李主任",
                findings="与申请所述相符",
            )
        if step == "returned":
            application_return(application=a, actor=centre, reason="请补充子女在校证明")
            continue
        if reach >= 3:
            a = application_review(application=a, actor=centre, note="同意")
        if reach >= 5:
            a = application_verify(
                application=a, actor=centre, matched=True, reference="大民核〔2011〕第 118 号"
            )
            application_notice(application=a, actor=centre, start=dt.date(2011, 12, 12))
