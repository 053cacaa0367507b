"""`chunfeng worker --batch` and `chunfeng tick` as the console runs them, in processes of their
own against the test database. A household import uploaded and started on the web side waits
in the database queue until a worker takes it: the job outlives the web process."""

import datetime as dt
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from chunfeng.jobs.models import Job
from chunfeng.register.models import Household
from tests.register.conftest import make_id, row, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The test database, as ``DATABASE_URL`` (SQLite's is a file, see settings)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def chunfeng(settings, tmp_path):
    """``chunfeng(*args)`` → the finished console command, on the test database and with the
    test's data folder (uploads in ``settings.MEDIA_ROOT``)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "CHUNFENG_DATA_DIR": str(tmp_path),
        "CHUNFENG_SECRET_KEY": "test",
        "DJANGO_SETTINGS_MODULE": "chunfeng.config.settings",
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "chunfeng", *args]
        return subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=60, check=True
        )

    return run


def test_a_worker_process_runs_the_check_and_the_import_the_web_side_started(
    fed, login, settings, chunfeng
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    filler = login(fed.user("zs", "filler"))
    upload = SimpleUploadedFile("名单.xlsx", xlsx_bytes([row(1), row(2), row(3)]))
    preview = filler.post(reverse("household-import"), {"unit": "210202", "file": upload}).url
    check = Job.objects.get(kind="register.import.check")
    assert check.status == "queued"  # waiting for a worker, with no thread behind it
    assert "排队中" in filler.get(preview).content.decode()

    chunfeng("worker", "--batch", "--no-startup-delay")
    check.refresh_from_db()
    assert check.status == "done" and check.result["valid"] == 3
    assert "全部检查通过" in filler.get(preview).content.decode()

    filler.post(preview + "commit/")
    job = Job.objects.get(kind="register.import")
    assert job.status == "queued" and not Household.objects.exists()
    chunfeng("worker", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result["count"]) == ("done", 6, 6, 3)
    assert job.heartbeat_at is not None
    numbers = set(Household.objects.values_list("id_number", flat=True))
    assert numbers == {make_id(1), make_id(2), make_id(3)}


def test_chunfeng_tick_runs_the_due_periodic_functions_once(chunfeng):
    stale = timezone.now() - dt.timedelta(hours=1)
    job = Job.objects.create(kind="test", status="running", heartbeat_at=stale)
    out = chunfeng("tick").stdout
    assert "已运行：jobs.fail_stale" in out and "已运行：reports.deadline_reminders" in out
    assert Job.objects.get(pk=job.pk).status == "failed"
    assert chunfeng("tick").stdout == ""  # nothing is due a minute later
