"""Helpers for the register tests: valid ID numbers, household files in xlsx and csv, and
files made through the services."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from chunfeng.core.idnumbers import check_digit
from chunfeng.register.listfile import CONTRACT
from chunfeng.register.services import household_create


def make_id(seq: int = 1, *, birth: str = "19800101", region: str = "210202") -> str:
    """A valid number; ``seq`` above 999 moves the birth date on by ``seq // 1000`` days."""
    if seq > 999:
        day = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:])) + dt.timedelta(seq // 1000)
        birth, seq = day.strftime("%Y%m%d"), seq % 1000
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + check_digit(first17)


def wrong_check(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def row(seq: int = 1, **over) -> dict:
    """A valid contract row (``over`` replaces columns by their header)."""
    values = {
        "姓名": f"职工{seq}",
        "身份证号码": make_id(seq),
        "联系电话": "13800000000",
        "工作单位": "大连示例厂",
        "困难类别": "B",
        "家庭人口": 3,
        "家庭月人均收入": 650,
        "是否农民工": "否",
        "是否劳模": "否",
    }
    return values | over


def xlsx_bytes(rows: list[dict], header=CONTRACT, *, text_ids=True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for r in rows:
        sheet.append([r.get(h, "") for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict], header=CONTRACT, *, encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def new_household(fed, unit, seq: int = 1, *, members=(), **data):
    """A file kept by ``unit``, made by its filler (or the city's, for the city itself)."""
    key = {fed.zs.pk: "zs", fed.xg.pk: "xg", fed.city.pk: "city", fed.zs_g1.pk: "zsg"}[unit.pk]
    actor = fed.user(key, "filler")
    fields = {
        "name": f"职工{seq}",
        "id_number": make_id(seq),
        "category": "B",
        "family_size": 3,
        "income": "650",
        "phone": "13800000000",
    } | data
    return household_create(unit=unit, data=fields, actor=actor, members=list(members))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the jobs, inline in tests) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
