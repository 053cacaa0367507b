"""Background jobs without an extra server: each job runs in a thread of the web process and
writes its progress to the database, where the page polls it. Tests (and the command line) run
jobs inline with ``CHUNFENG_JOBS_SYNC``. A job left running by a restart is marked failed."""

from __future__ import annotations

import importlib
import logging
import threading
import traceback

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from chunfeng.core.errors import ApplicationError

from .models import Job, JobStatus

log = logging.getLogger(__name__)


def job_start(*, kind: str, target: str, params: dict, actor=None, unit=None, file=None) -> Job:
    """``target`` is "module:function"; it is called as ``function(job, **params)``."""
    job = Job.objects.create(kind=kind, params=params, created_by=actor, unit=unit)
    if file is not None:
        job.file.save(file.name, file, save=True)
    if getattr(settings, "CHUNFENG_JOBS_SYNC", False):
        transaction.on_commit(lambda: job_run(job.pk, target))
    else:
        thread = threading.Thread(target=_thread_main, args=(job.pk, target), daemon=True)
        transaction.on_commit(thread.start)
    return job


def _thread_main(job_pk: int, target: str) -> None:
    close_old_connections()
    try:
        job_run(job_pk, target)
    finally:
        connections.close_all()


def job_run(job_pk: int, target: str) -> None:
    job = Job.objects.get(pk=job_pk)
    Job.objects.filter(pk=job_pk).update(status=JobStatus.RUNNING)
    module, _, name = target.partition(":")
    try:
        result = getattr(importlib.import_module(module), name)(job, **job.params)
    except ApplicationError as exc:
        _finish(job_pk, JobStatus.FAILED, exc.message, {"details": exc.details})
    except Exception:  # a bug: keep the traceback in the log, tell the user plainly
        log.exception("job %s failed", job_pk)
        _finish(job_pk, JobStatus.FAILED, "后台任务出错，已记录，请联系管理员。",
                {"traceback": traceback.format_exc()[-2000:]})  # fmt: skip
    else:
        _finish(job_pk, JobStatus.DONE, (result or {}).get("message", "已完成"), result or {})


def _finish(job_pk: int, status: str, message: str, result: dict) -> None:
    Job.objects.filter(pk=job_pk).update(
        status=status, message=message, result=result, finished_at=timezone.now()
    )


def job_progress(job: Job, done: int, total: int | None = None, message: str = "") -> None:
    fields: dict[str, int | str] = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    Job.objects.filter(pk=job.pk).update(**fields)


def jobs_fail_interrupted() -> int:
    """At start-up: jobs that were running when the process stopped can never finish."""
    return Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.FAILED, message="服务重启，任务被中断，请重新提交。",
        finished_at=timezone.now(),
    )  # fmt: skip
