"""Helpers for the register and funds API tests: valid ID numbers, household files, JSON calls."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.register.listfile import CONTRACT
from tests.funds.helpers import household, ident

__all__ = ["CONTRACT", "csv_upload", "household", "ident", "import_row", "patch", "post",
           "xlsx_upload"]  # fmt: skip


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url: str, data: dict):
    return client.patch(url, data, content_type="application/json")


def import_row(seq: int, **over) -> dict:
    """A valid contract row of the household file (``over`` replaces columns by header)."""
    values = {
        "姓名": f"导入{seq}",
        "身份证号码": ident(seq, birth="19800101"),
        "联系电话": "13900000000",
        "工作单位": "大连示例厂",
        "困难类别": "B",
        "家庭人口": "3",
        "家庭月人均收入": "650",
        "是否农民工": "否",
        "是否劳模": "否",
    }
    return values | over


def csv_upload(rows: list[dict], header=CONTRACT, name: str = "名单.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: list[dict], header=CONTRACT, name: str = "名单.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for r in rows:
        sheet.append([r.get(h, "") for h in header])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())
