"""The register list as an xlsx file (导出 Excel): the households of the list as it is filtered,
with the columns a union files (unit, name, ID, category, family size, per-capita income, phone,
employer, bank card, flags, status).

ID, phone and bank numbers are masked unless the user chose full numbers and their role may see
them (``rules.can_see_full_ids`` at the list's scope); such an export is written to the ID
access log, one row per household with the filter (``access`` contract), and to the history.
The workbook is written in openpyxl's write-only mode to a temporary file, row by row from a
chunked query, so memory does not grow with the list; it is built in the request (no worker
job yet). Text a spreadsheet would run as a formula is stored as text (``core.safe``)."""

from __future__ import annotations

import tempfile
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from chunfeng.core.audit import audit_record
from chunfeng.core.personal import mask_bank, mask_id, mask_phone
from chunfeng.core.safe import row_value

from .access import id_access_log_each
from .models import Household

PURPOSE = "export:list"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("建档单位", "姓名", "身份证号码", "困难类别", "家庭人口", "家庭月人均收入（元）",
           "联系电话", "工作单位", "银行卡号", "农民工", "劳模", "下岗失业", "状态")  # fmt: skip
CHUNK = 2000


def _numbers(household: Household, full: bool) -> tuple[str, str, str]:
    if full:
        return household.id_number, household.phone, household.bank_account
    return (
        mask_id(household.id_number),
        mask_phone(household.phone) if household.phone else "",
        mask_bank(household.bank_account) if household.bank_account else "",
    )


def household_row(household: Household, full: bool) -> list:
    id_number, phone, bank = _numbers(household, full)
    return [
        household.unit.name,
        household.name,
        id_number,
        household.get_category_display(),
        household.family_size,
        household.income,
        phone,
        household.employer,
        bank,
        "是" if household.is_migrant else "否",
        "是" if household.is_model_worker else "否",
        "是" if household.is_laid_off else "否",
        household.get_status_display(),
    ]


def write_list(households: QuerySet[Household], out: IO[bytes], *, full: bool) -> list[int]:
    """Write the households to ``out`` as xlsx; the keys of the rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("困难职工名单")
    bold = Font(bold=True)
    header = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    keys = []
    for household in households.iterator(chunk_size=CHUNK):
        keys.append(household.pk)
        sheet.append([row_value(sheet, value) for value in household_row(household, full)])
    book.save(out)
    return keys


def export_list(user, households: QuerySet[Household], *, full: bool, filters: dict) -> IO[bytes]:
    """The file, rewound; a full export is logged (access log and history) in one transaction.
    ``full`` must already be allowed by the caller (the view checks the rulebook)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response, which closes it
    keys = write_list(households, out, full=full)
    if full:
        with transaction.atomic():
            id_access_log_each(
                user=user,
                purpose=PURPOSE,
                household_ids=keys,
                details={"filter": filters, "count": len(keys)},
            )
            audit_record(
                actor=user,
                action="household.export_full",
                target=Household,
                count=len(keys),
                filter=filters,
            )
    out.seek(0)
    return out


def file_name() -> str:
    return f"困难职工名单-{timezone.localdate():%Y%m%d}.xlsx"
