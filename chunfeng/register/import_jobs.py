"""Running a household import from the pages: the uploaded file kept in the storage between
the steps, the check (preview) and the all-or-nothing import as background jobs with progress, and
the same for the command line and the API."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import uuid
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_edit_households
from chunfeng.core.storage import local_path
from chunfeng.jobs.services import job_progress

from .bulk_import import household_import, household_import_check
from .listfile import (
    CONTRACT,
    SUFFIXES,
    HouseholdFile,
    contract_mapping,
    guess_mapping,
    mapping_problems,
)

UPLOAD_DIR = "register-imports"
DETAILS_IN_RESULT = 1000  # errors kept in a job's result (the page shows the first 200)


# --- stored uploads ------------------------------------------------------------------------
# Kept through the storage API (a local folder or object storage), so that the next step may
# be served by another server and the job run by a worker on another machine.


def store_upload(upload) -> tuple[str, PurePosixPath]:
    """Keep an uploaded file between the steps: ``(token, stored name)``."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ApplicationError(
            _("只能导入 Excel（xlsx）或 CSV 文件；旧版 .xls 请另存为 xlsx"), code="bad_type"
        )
    _sweep()
    token = uuid.uuid4().hex
    stored = default_storage.save(f"{UPLOAD_DIR}/{token}{suffix}", upload)
    return token, PurePosixPath(stored)


def stored_path(token: str, suffix: str) -> PurePosixPath:
    """The stored name of an upload (in the storage, not necessarily on this machine)."""
    if not token.isalnum() or suffix not in SUFFIXES:
        raise ApplicationError(_("无效的导入文件"), code="bad_token")
    return PurePosixPath(UPLOAD_DIR) / f"{token}{suffix}"


def upload_exists(name) -> bool:
    return default_storage.exists(str(name))


def stored_columns(name, filename: str) -> list[str]:
    """The header of a stored upload."""
    with local_path(str(name)) as path:
        return HouseholdFile(path, filename).header().columns


def discard_upload(name) -> None:
    default_storage.delete(str(name))


def _sweep(max_age_days: int = 2) -> None:
    """Uploads abandoned before their import are removed after two days."""
    limit = timezone.now() - dt.timedelta(days=max_age_days)
    try:
        _, names = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:  # nothing stored yet
        return
    for old in names:
        name = f"{UPLOAD_DIR}/{old}"
        try:
            if default_storage.get_modified_time(name) < limit:
                default_storage.delete(name)
        except OSError:
            pass


# --- services over a file ----------------------------------------------------------------------


def check_file(
    file: HouseholdFile, mapping: dict, *, actor=None, on_progress=None, max_errors=10_000
):
    return household_import_check(
        rows=file.records(mapping),
        columns=file.columns_of(mapping),
        actor=actor,
        on_progress=on_progress,
        max_errors=max_errors,
    )


def import_file(
    file: HouseholdFile,
    mapping: dict,
    *,
    unit,
    actor,
    on_progress=None,
    max_errors: int | None = 10_000,
):
    """Validate and commit (all or nothing) a household file into ``unit``."""
    return household_import(
        unit=unit,
        rows=file.records(mapping),
        columns=file.columns_of(mapping),
        actor=actor,
        source=file.name,
        on_progress=on_progress,
        max_errors=max_errors,
    )


def mapping_for_cli(file: HouseholdFile) -> dict[str, int | None]:
    """The contract columns, else the aliases; an error naming the missing columns."""
    columns = file.header().columns
    mapping = contract_mapping(columns) or guess_mapping(columns)
    problems = mapping_problems(mapping, columns)
    if problems:
        raise ApplicationError(
            "文件的列名与模板不符：" + "；".join(problems) + f"。模板的列为：{'、'.join(CONTRACT)}",
            code="bad_columns",
        )
    return mapping


# --- background jobs ------------------------------------------------------------------------


def check_job(job, *, path: str, filename: str, mapping: dict, next_url: str) -> dict:
    """Job target: the preview — the first rows as they will be saved and every problem.
    ``path`` is the upload's stored name."""
    with local_path(path) as local:
        return _check_job(job, HouseholdFile(local, filename), mapping, next_url)


def _check_job(job, file: HouseholdFile, mapping: dict, next_url: str) -> dict:
    total = file.estimate_rows()
    job_progress(job, 0, total, "正在检查文件…")
    check = check_file(
        file,
        mapping,
        actor=job.created_by,
        on_progress=lambda done: job_progress(job, min(done, total)),
        max_errors=DETAILS_IN_RESULT,
    )
    job_progress(job, total, total)
    return {
        "next": next_url,
        "message": check.summary(),
        "rows": check.rows,
        "valid": check.valid,
        "bad_rows": check.bad_rows,
        "error_count": check.error_count,
        "errors": check.errors,
        "preview": check.preview,
    }


def import_job(job, *, path: str, filename: str, mapping: dict, next_url: str) -> dict:
    """Job target: validate everything again, then insert all rows in one transaction.
    ``path`` is the upload's stored name, removed once imported."""
    unit, actor = job.unit, job.created_by
    if unit is None or actor is None or not can_edit_households(actor, unit):
        raise ApplicationError(_("您不能为这个单位导入档案"), code="forbidden")
    with local_path(path) as local:
        result = _import_job(job, HouseholdFile(local, filename), mapping, next_url, unit, actor)
    discard_upload(path)
    return result


def _import_job(job, file: HouseholdFile, mapping: dict, next_url: str, unit, actor) -> dict:
    rows = file.estimate_rows()
    total = 2 * rows
    job_progress(job, 0, total, "正在检查文件并写入档案…")
    side = _ProgressLine(job)

    def progress(stage: str, done: int) -> None:
        # inside the import's transaction: only another connection's write is seen at once
        side.update(min(2 * done if stage == "stream" else rows + done, total))

    try:
        check = import_file(
            file,
            mapping,
            unit=unit,
            actor=actor,
            on_progress=progress,
            max_errors=DETAILS_IN_RESULT,
        )
    except ApplicationError as exc:
        if len(exc.details) > 200:
            exc.message += "下面列出前 200 处。"
        raise
    finally:
        side.close()
    job_progress(job, total, total)
    return {
        "next": next_url,
        "count": check.valid,
        "unit": unit.code,
        "message": f"已为{unit.name}导入 {check.valid} 户困难职工档案",
    }


class _ProgressLine:
    """Progress written while the import's transaction is open (the rows are written while
    they are checked). PostgreSQL: on a second connection, so the page sees it at once. SQLite
    allows one writer, the import, so the bar shows the message and jumps to the end. Neither
    when the job itself runs inside a transaction (the immediate task backend in tests): no
    other connection sees its row."""

    def __init__(self, job):
        self.job = job
        self.conn = None
        if connection.vendor != "sqlite" and not connection.in_atomic_block:
            self.conn = connections.create_connection("default")

    def update(self, done: int) -> None:
        if self.conn is None:
            return
        table = self.conn.ops.quote_name(self.job._meta.db_table)
        with self.conn.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET done = %s WHERE id = %s", [done, self.job.pk])

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def accept_upload(upload) -> tuple[str, PurePosixPath, list[str]]:
    """Step 1 of the page: keep the upload and read its header. ``(token, stored name,
    columns)``; an unreadable file is removed again and refused."""
    token, stored = store_upload(upload)
    try:
        columns = stored_columns(stored, upload.name)
    except ApplicationError:
        discard_upload(stored)
        raise
    return token, stored, columns


def import_upload_now(upload, *, unit, actor):
    """The API's import: the whole upload checked and imported at once (all or nothing), the
    file's columns those of the template. Who may import is asked before the file is read."""
    if not can_edit_households(actor, unit):
        raise NotPermitted(_("您不能为%(unit)s导入困难职工档案") % {"unit": unit.name})
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in SUFFIXES:
        raise ApplicationError(
            _("只能导入 Excel（xlsx、xls）或 CSV 文件"),
            code="bad_type",
            details=[{"row": None, "column": "", "message": f"文件“{name}”不是 Excel 或 CSV 文件"}],
        )
    fd, path = tempfile.mkstemp(suffix=Path(name).suffix.lower(), prefix="chunfeng-import-")
    try:
        with os.fdopen(fd, "wb") as out:
            for block in upload.chunks():
                out.write(block)
        source = HouseholdFile(path, name)
        header = source.header()
        mapping = contract_mapping(header.columns)
        if mapping is None:
            raise _missing_columns(header)
        return import_file(source, mapping, unit=unit, actor=actor, max_errors=DETAILS_IN_RESULT)
    finally:
        Path(path).unlink(missing_ok=True)


def _missing_columns(header) -> ApplicationError:
    present = {"".join(str(c).split()) for c in header.columns}
    missing = [c for c in CONTRACT if c not in present]
    return ApplicationError(
        _("文件的列名与模板不符，缺少：%(items)s。第一行应为：%(header)s")
        % {"items": "、".join(missing), "header": "、".join(CONTRACT)},
        code="bad_columns",
        details=[{"row": header.row, "column": c, "message": "缺少这一列"} for c in missing],
    )
