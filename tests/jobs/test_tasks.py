"""A job is one django-tasks task: enqueued when its transaction commits, run by the task
backend (the immediate one in tests, the database queue otherwise), its progress, result or
failure recorded on the ``Job``, a heartbeat written beside it while it runs."""

import time

import pytest
from django.db import OperationalError
from django.db.models import QuerySet
from django_tasks.signals import task_finished
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from chunfeng.core.actors import SYSTEM
from chunfeng.jobs.models import Job
from chunfeng.jobs.services import job_start
from chunfeng.jobs.tasks import BUG_MESSAGE, Heartbeat, job_run

TARGETS = "tests.jobs.targets"


@pytest.fixture
def finished_tasks():
    """The django-tasks results of the tasks that finish during the test."""
    results = []

    def record(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(record)
    yield results
    task_finished.disconnect(record)


def test_the_job_runs_as_a_task_when_its_transaction_commits(
    db, django_capture_on_commit_callbacks, finished_tasks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = job_start(kind="test", target=f"{TARGETS}:count", params={"to": 3}, actor=SYSTEM)
    assert Job.objects.get(pk=job.pk).status == "queued" and not finished_tasks
    [enqueue] = callbacks
    enqueue()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == ("done", 3, 3, "数到 3")
    assert job.result == {"message": "数到 3", "counted": [1, 2, 3]}
    assert job.finished_at is not None and job.heartbeat_at is not None
    [task] = finished_tasks
    assert task.task.module_path == "chunfeng.jobs.tasks.run_job"
    assert task.args == [job.pk, f"{TARGETS}:count"]
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")


def test_an_application_error_fails_the_job_with_its_message_and_details(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="test", target=f"{TARGETS}:refuse", params={}, actor=SYSTEM)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "文件有误")
    assert job.result == {"details": [{"row": 2, "message": "不对"}]}


def test_a_bug_fails_the_job_plainly_and_keeps_the_traceback(
    db, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="test", target=f"{TARGETS}:crash", params={}, actor=SYSTEM)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", BUG_MESSAGE)
    assert "ZeroDivisionError" in job.result["traceback"]
    assert f"job {job.pk} failed" in caplog.text


def test_a_job_runs_once(db):
    job = Job.objects.create(kind="test", params={"to": 2})
    assert job_run(job.pk, f"{TARGETS}:count") == "done"
    Job.objects.filter(pk=job.pk).update(done=0, message="")
    assert job_run(job.pk, f"{TARGETS}:count") == "done"  # not again
    job.refresh_from_db()
    assert (job.done, job.message) == (0, "")


def test_with_the_database_backend_the_job_waits_for_a_worker(
    db, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="test", target=f"{TARGETS}:count", params={"to": 2}, actor=SYSTEM)
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == ("chunfeng.jobs.tasks.run_job", "READY")
    assert task.args_kwargs == {"args": [job.pk, f"{TARGETS}:count"], "kwargs": {}}
    assert Job.objects.get(pk=job.pk).status == "queued"
    # the worker's loop, here inside the test's transaction (whose connection must stay open)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    worker = db_worker.Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        backend_name="default",
        batch=True,
        interval=0,
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
    )
    worker.run()
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")
    assert Job.objects.get(pk=job.pk).status == "done"


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_from_a_thread_of_its_own(settings):
    settings.CHUNFENG_JOB_HEARTBEAT_EVERY = 0.02
    job = Job.objects.create(kind="test", params={"beats": 3})
    assert job_run(job.pk, f"{TARGETS}:wait_for_beats") == "done"
    job.refresh_from_db()
    assert job.result == {"beats": 3}


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_survives_a_locked_database(monkeypatch):
    job = Job.objects.create(kind="test", status="running")
    update, refused = QuerySet.update, []

    def locked_once(queryset, **fields):
        if not refused:
            refused.append(fields)
            raise OperationalError("database is locked")
        return update(queryset, **fields)

    monkeypatch.setattr(QuerySet, "update", locked_once)
    heartbeat = Heartbeat(job.pk, every=0.01)
    heartbeat.start()
    try:
        for _ in range(500):
            if Job.objects.get(pk=job.pk).heartbeat_at is not None:
                break
            time.sleep(0.01)
    finally:
        heartbeat.stop()
    assert refused and Job.objects.get(pk=job.pk).heartbeat_at is not None
