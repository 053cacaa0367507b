"""Helpers of the application tests: the 2011 standard of a test region (中山区, 210202), an
application's data, its documents, and an application taken to a given step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.applications.filing import application_approve
from chunfeng.applications.models import Standard
from chunfeng.applications.services import application_create, document_add
from chunfeng.applications.workflow import (
    application_check,
    application_notice,
    application_review,
    application_verify,
    application_visit,
)
from chunfeng.core.idnumbers import check_digit

USCC = "91210200MA0QC5TX7Q"  # a valid code (check character by cn.uscc)


def ident(n: int, year: int = 1975, region: str = "210202") -> str:
    first17 = f"{region}{year}0101{n:03d}"
    return first17 + check_digit(first17)


@pytest.fixture
def standard(fed):
    return make_standard(fed)


def make_standard(fed):
    """大连市中山区 2011: 400 元/人/月 from 1 July 2011 (the figure the demo uses, marked there
    as an example), C up to 1.5 ×, notice 7 days."""
    return Standard.objects.create(
        region_code="210202",
        region_name="中山区",
        year=2011,
        low_line=Decimal("400.00"),
        c_margin=Decimal("1.50"),
        effective_from=dt.date(2011, 7, 1),
        notice_days=7,
        source="测试",
        set_by=fed.zs,
    )


def app_data(n: int = 1, **over) -> dict:
    """A family of three with 900 元 a month: 300 元 per person, below the 400 line (B)."""
    data = {
        "name": f"申请人{n}",
        "id_number": ident(n),
        "phone": "13800000001",
        "region_code": "210202",
        "street": "青泥洼桥街道",
        "address": "大连市中山区友好路 1 号",
        "employer": "大连示例机床厂",
        "employer_uscc": USCC,
        "post": "车工",
        "main_cause": "illness",
        "other_causes": ["schooling"],
        "bank_account": "6222021234567890123",
        "bank_name": "工商银行",
        "category": "B",
        "income_items": [{"item": "工资", "amount": "700"}, {"item": "低保金", "amount": "200"}],
        "members": [
            {"name": f"配偶{n}", "id_number": ident(500 + n), "relation": "配偶", "health": "大病"},
            {"name": f"子女{n}", "id_number": ident(n, 2005), "relation": "子女", "school": "小学"},
        ],
    }
    return data | over


def upload(name="申请书.jpg", body=b"\xff\xd8\xff\xe0 test"):
    return SimpleUploadedFile(name, body, content_type="image/jpeg")


def to_step(fed, step: str, n: int = 1, **over):
    """An application of 青泥洼桥街道 taken to ``step`` (submitted … approved)."""
    a = application_create(
        unit=fed.zs_g1, data=app_data(n, **over), actor=fed.user("zsg", "filler")
    )
    return advance(fed, a, step)


def advance(fed, a, step: str):
    """An application of 青泥洼桥街道 (filed here or elsewhere, e.g. from a case) taken from
    待初审 to ``step``."""
    g, centre = fed.user("zsg", "filler"), fed.user("zs", "reviewer")
    order = ["submitted", "checked", "visited", "reviewed", "verified", "notice", "approved"]
    target = order.index(step)
    if target >= 1:
        a = application_check(application=a, actor=g)
    if target >= 2:
        document_add(application=a, kind="signed", upload=upload(), actor=g)
        document_add(application=a, kind="consent", upload=upload("授权书.pdf"), actor=g)
        a = application_visit(
            application=a,
            actor=g,
            visited_on=dt.date(2011, 10, 20),
            visitors="王五、赵六",
            findings="住房狭小，配偶长期住院",
        )
    if target >= 3:
        a = application_review(application=a, actor=centre)
    if target >= 4:
        a = application_verify(application=a, actor=centre, matched=True, reference="民核2011-001")
    if target >= 5:
        a = application_notice(application=a, actor=centre, start=dt.date(2011, 11, 1))
    if target >= 6:
        a = application_approve(application=a, actor=centre, on=dt.date(2011, 11, 10))
    return a
