"""Background jobs. The ``Job`` row is what the user sees: who started it for which unit, its
progress, message and result. The work is one django-tasks task (``tasks.run_job``), enqueued
when the transaction that made the job commits. With the database backend (the default) a
`chunfeng worker` process runs it — so a job outlives the web process that started it — and
the tests run it at once with the immediate backend."""

from __future__ import annotations

from django.db import transaction

from .models import Job
from .tasks import run_job


def job_start(*, kind: str, target: str, params: dict, actor=None, unit=None, file=None) -> Job:
    """``target`` is "module:function"; a worker calls it as ``function(job, **params)``."""
    job = Job.objects.create(kind=kind, params=params, created_by=actor, unit=unit)
    if file is not None:
        job.file.save(file.name, file, save=True)
    transaction.on_commit(lambda: run_job.enqueue(job.pk, target))
    return job


def job_progress(job: Job, done: int, total: int | None = None, message: str = "") -> None:
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    Job.objects.filter(pk=job.pk).update(**fields)
