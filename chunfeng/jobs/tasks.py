"""Running a job: ``run_job`` is the django-tasks task that ``job_start`` enqueues and a worker
(in tests, the immediate backend) executes. It takes the queued ``Job``, calls its target with
a heartbeat beside it, and records the outcome the page shows."""

from __future__ import annotations

import importlib
import logging
import threading
import traceback
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, connections
from django.utils import timezone
from django_tasks import task

from chunfeng.core.errors import ApplicationError

from .models import Job, JobStatus

log = logging.getLogger(__name__)

BUG_MESSAGE = "后台任务出错，已记录，请联系管理员。"
STOPPED_MESSAGE = "后台任务被中断（处理它的进程已停止），请重新提交。"


@task()
def run_job(job_id: int, target: str) -> str:
    """The job's final status: "done" or "failed" (its details are on the ``Job``)."""
    return job_run(job_id, target)


def job_run(job_pk: int, target: str) -> str:
    """Run a queued job once. ``target`` ("module:function") is called as ``function(job,
    **job.params)``; the dict it returns is the result, its "message" the job's message. An
    ``ApplicationError`` fails the job with its message and details; any other error is a bug:
    logged, its traceback kept in the result, the user told plainly."""
    started = Job.objects.filter(pk=job_pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    job = Job.objects.get(pk=job_pk)
    if not started:  # run already, or failed meanwhile: never twice
        log.warning("job %s is %s, not queued: not run", job_pk, job.status)
        return job.status
    try:
        with _heartbeat(job_pk):
            status, message, result = _call(job, target)
    except BaseException:  # the worker is being stopped (a forced shutdown)
        _finish(job_pk, JobStatus.FAILED, STOPPED_MESSAGE, {})
        raise
    _finish(job_pk, status, message, result)
    return status


def _call(job: Job, target: str) -> tuple[str, str, dict]:
    module, _, name = target.partition(":")
    try:
        result = getattr(importlib.import_module(module), name)(job, **job.params) or {}
    except ApplicationError as exc:
        return JobStatus.FAILED, exc.message, {"details": exc.details}
    except Exception:  # a bug: keep the traceback in the log, tell the user plainly
        log.exception("job %s failed", job.pk)
        return JobStatus.FAILED, BUG_MESSAGE, {"traceback": traceback.format_exc()[-2000:]}
    return JobStatus.DONE, result.get("message", "已完成"), result


def _finish(job_pk: int, status: str, message: str, result: dict) -> None:
    """Unconditional: a job failed as stale that did finish after all says what happened."""
    Job.objects.filter(pk=job_pk).update(
        status=status, message=message, result=result, finished_at=timezone.now()
    )


@contextmanager
def _heartbeat(job_pk: int):
    """A heartbeat while the target runs. None for a job run inside a transaction (the
    immediate backend in tests): no other connection sees its row before the commit."""
    if connection.in_atomic_block:
        yield
        return
    heartbeat = Heartbeat(job_pk, settings.CHUNFENG_JOB_HEARTBEAT_EVERY)
    heartbeat.start()
    try:
        yield
    finally:
        heartbeat.stop()


class Heartbeat:
    """Writes ``heartbeat_at`` of a running job every ``every`` seconds from a thread with its
    own database connection, so that a job whose worker has gone can be told from a live one."""

    def __init__(self, job_pk: int, every: float):
        self.job_pk = job_pk
        self.every = every
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"job-{job_pk}-heartbeat", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stopped.wait(self.every):
                self.beat()
        finally:
            connections.close_all()  # this thread's own connections

    def beat(self) -> bool:
        """One sign of life; False when the database refused it this time."""
        close_old_connections()
        try:
            Job.objects.filter(pk=self.job_pk, status=JobStatus.RUNNING).update(
                heartbeat_at=timezone.now()
            )
        except OperationalError as exc:  # SQLite: another transaction holds the write lock
            log.info("job %s: heartbeat not written (%s), next beat tries again", self.job_pk, exc)
            return False
        return True
