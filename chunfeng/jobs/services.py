"""Background jobs. The ``Job`` row is what the user sees: who started it for which unit, its
progress, message and result. The work is one django-tasks task (``tasks.run_job``), enqueued
when the transaction that made the job commits. With the database backend (the default) a
`chunfeng worker` process runs it — so a job outlives the web process that started it — and
the tests run it at once with the immediate backend. A running job whose worker stops writing
its heartbeat is failed by ``jobs_fail_stale``, a periodic function of ``schedule``."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from chunfeng.core.actors import user_or_none

from .models import Job, JobStatus
from .tasks import run_job

STALE_MESSAGE = "后台任务中断（处理它的进程已停止响应），请重新提交。"


def job_start(*, kind: str, target: str, params: dict, actor, unit=None, file=None) -> Job:
    """``target`` is "module:function"; a worker calls it as ``function(job, **params)``.
    ``actor`` is the user who started it (whose page shows its progress) or ``SYSTEM``."""
    job = Job.objects.create(kind=kind, params=params, created_by=user_or_none(actor), unit=unit)
    if file is not None:
        job.file.save(file.name, file, save=True)
    transaction.on_commit(lambda: run_job.enqueue(job.pk, target))
    return job


def job_attach(job: Job, filename: str, data: bytes | IO[bytes]) -> None:
    """Keep a job's result file through the storage API (local folder or object storage), so
    that any server can hand it out; ``filename`` is the name the download is given. ``data``
    is the content, or a binary file read from where it stands (copied in blocks)."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    content = ContentFile(data) if isinstance(data, bytes) else File(data)
    job.file.save(f"job-{job.pk}.{suffix}", content, save=False)
    Job.objects.filter(pk=job.pk).update(file=job.file.name)


def job_progress(job: Job, done: int, total: int | None = None, message: str = "") -> None:
    fields: dict[str, int | str] = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    Job.objects.filter(pk=job.pk).update(**fields)


def jobs_fail_stale() -> int:
    """Running jobs without a heartbeat for ``CHUNFENG_JOB_HEARTBEAT_TIMEOUT`` seconds: their
    worker has stopped, they can never finish. How many were failed."""
    now = timezone.now()
    limit = now - dt.timedelta(seconds=settings.CHUNFENG_JOB_HEARTBEAT_TIMEOUT)
    return Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=limit).update(
        status=JobStatus.FAILED, message=STALE_MESSAGE, finished_at=now
    )


def job_files_sweep() -> int:
    """Files of finished jobs (exports) older than ``CHUNFENG_JOB_FILE_DAYS`` are removed from
    the storage (the job's row stays, without its file). How many were removed."""
    limit = timezone.now() - dt.timedelta(days=settings.CHUNFENG_JOB_FILE_DAYS)
    old = Job.objects.filter(finished_at__lt=limit).exclude(file="")
    count = 0
    for job in old.only("pk", "file"):
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count
