"""A long bank result file is applied by a worker: a file of more than
``CHUNFENG_BANK_ROWS_IN_REQUEST`` rows is kept with its job through the storage API (it holds
full account numbers: removed as soon as the job has read it, whatever the outcome), and the
worker runs the same service as the page (``confirmation.bank_result_import``, one transaction,
all or nothing) as the user who uploaded it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from chunfeng.core.errors import ApplicationError
from chunfeng.jobs.models import Job
from chunfeng.jobs.services import job_progress, job_start

from .confirmation import bank_result_import, read_bank_rows
from .models import PaymentBatch

TARGET = "chunfeng.funds.bank_jobs:bank_result_job"
NOTES_KEPT = 200  # unmatched rows listed in the job's result


def bank_file_is_long(rows: list) -> bool:
    return len(rows) > settings.CHUNFENG_BANK_ROWS_IN_REQUEST


def bank_result_start(*, batch: PaymentBatch, upload, mapping: dict, actor) -> Job:
    """Keep the upload with a job that applies it to ``batch`` as ``actor``."""
    upload.seek(0)
    params = {"batch_id": batch.pk, "filename": upload.name or "", "mapping": mapping}
    return job_start(
        kind="import:bank_result",
        target=TARGET,
        params=params,
        actor=actor,
        unit=batch.unit,
        file=upload,
    )


def bank_result_job(job: Job, *, batch_id: int, filename: str, mapping: dict) -> dict:
    """Job target: read the kept file, remove it, apply it (the service asks the rulebook)."""
    try:
        with job.file.open("rb") as kept:
            content = kept.read()
    finally:
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
    batch = PaymentBatch.objects.select_related("unit").filter(pk=batch_id).first()
    if batch is None:
        raise ApplicationError("发放批次已不存在", code="not_found")
    rows = read_bank_rows(content, filename, mapping)
    job_progress(job, 0, len(rows), f"正在导入 {len(rows)} 行银行结果…")
    result = bank_result_import(batch=batch, rows=rows, actor=job.created_by)
    job_progress(job, len(rows), len(rows))
    text = f"银行结果已导入：{len(result.paid)} 笔入账，{len(result.failed)} 笔失败"
    if result.confirmed:
        text += "，批次已确认发放"
    if result.pending:
        text += f"；还有 {result.pending} 笔未见银行结果"
    return {
        "message": text,
        "next": reverse("batch-detail", args=[batch.pk]),
        "notes": result.unmatched[:NOTES_KEPT],
        "paid": len(result.paid),
        "failed": len(result.failed),
    }
