"""The register list as an xlsx file (导出 Excel): the households of the list as it is filtered,
with the columns a union files (unit, name, ID, category, family size, per-capita income, phone,
employer, bank card, flags, status).

ID, phone and bank numbers are masked unless the user chose full numbers and their role may see
them (``rules.can_see_full_ids`` at the list's scope); such an export is written to the ID
access log, one row per household with the filter (``access`` contract), and to the history.
The workbook is written in openpyxl's write-only mode to a temporary file, row by row from a
chunked query, so memory does not grow with the list. A list of more than
``CHUNFENG_EXPORT_IN_REQUEST_ROWS`` households is made by a worker (``list_export_job``): the
file is kept through the storage API and downloaded from the job by the user who started it;
the numbers are masked or full by the same rule, checked again when the job runs, and a full
export is logged there. Text a spreadsheet would run as a formula is stored as text
(``core.safe``)."""

from __future__ import annotations

import tempfile
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError
from chunfeng.core.personal import mask_bank, mask_id, mask_phone
from chunfeng.core.rules import can_see_full_ids
from chunfeng.core.safe import row_value
from chunfeng.jobs.models import Job
from chunfeng.jobs.services import job_attach, job_progress, job_start

from .access import id_access_log_each
from .models import Household
from .selectors import households_listed, id_token_of

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


def write_list(
    households: QuerySet[Household], out: IO[bytes], *, full: bool, on_progress=None
) -> list[int]:
    """Write the households to ``out`` as xlsx; the keys of the rows written. ``on_progress``
    is told the number of rows written every ``CHUNK`` rows."""
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
        if on_progress is not None and len(keys) % CHUNK == 0:
            on_progress(len(keys))
        sheet.append([row_value(sheet, value) for value in household_row(household, full)])
    book.save(out)
    return keys


def export_list(
    user, households: QuerySet[Household], *, full: bool, filters: dict, on_progress=None
) -> IO[bytes]:
    """The file, rewound; a full export is logged (access log and history) in one transaction.
    ``full`` must already be allowed by the caller (the view checks the rulebook)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response, which closes it
    keys = write_list(households, out, full=full, on_progress=on_progress)
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


def logged_filters(params: dict) -> dict:
    """The filter as the access log keeps it: a search text with digits is left out, as it
    might hold part of a number (a unit code is kept)."""
    return {k: v for k, v in params.items() if v and (k != "q" or not any(map(str.isdigit, v)))}


# --- a long list, made by a worker ------------------------------------------------------------

TARGET = "chunfeng.register.list_export:list_export_job"


def rows_in_request() -> int:
    return settings.CHUNFENG_EXPORT_IN_REQUEST_ROWS


def list_is_large(households: QuerySet[Household]) -> bool:
    """Whether the export goes to a worker (one ``COUNT`` of the filtered list)."""
    return households.count() > rows_in_request()


def list_export_start(*, user, params: dict, full: bool) -> Job:
    """Start the export of the list ``params`` filter (the page's filters, as text) for
    ``user``, who alone downloads it. A full ID number typed as the search goes as its search
    token: the job's parameters are stored."""
    token = id_token_of(params.get("q"))
    if token:
        params = {**params, "q": "", "id_token": token}
    return job_start(
        kind="export:register",
        target=TARGET,
        params={"filters": params, "full": full},
        actor=user,
        unit=user.unit,
    )


def list_export_job(job: Job, *, filters: dict, full: bool) -> dict:
    """Job target: the list as its creator may see it now, masked unless their role still may
    see full numbers at its scope (then logged, as in the request)."""
    user = job.created_by
    if user is None or not user.is_active:
        raise ApplicationError("发起导出的用户已不存在或已停用", code="forbidden")
    try:
        chosen, households = households_listed(user, filters)
    except Http404:
        raise ApplicationError("所选单位不在您的管辖范围内", code="forbidden") from None
    if full and not can_see_full_ids(user, chosen or user.unit):
        raise ApplicationError("您的角色不能导出完整的身份证、电话和银行卡号码", code="forbidden")
    total = households.count()
    job_progress(job, 0, total, "正在导出…")
    out = export_list(
        user,
        households,
        full=full,
        filters=logged_filters(filters),
        on_progress=lambda done: job_progress(job, min(done, total)),
    )
    name = file_name()
    with out:
        job_attach(job, name, out)
    job_progress(job, total, total)
    return {"message": f"已导出 {total} 户", "filename": name, "count": total}
