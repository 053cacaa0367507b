"""The Redis queue (CHUNFENG_TASKS=rq, django-tasks-rq): a household import started on the web
side waits in Redis until `chunfeng worker` — an RQ worker — takes it; progress and result are
in the database as with the database queue. Needs a Redis server: skipped without one on a
developer's machine, required in CI (CI=true: `.ci/run` starts one)."""

import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chunfeng.jobs.models import Job
from chunfeng.register.models import Household
from tests.register.conftest import make_id, row, xlsx_bytes

from .test_worker import database_url

pytestmark = pytest.mark.django_db(transaction=True)

# database 15 of the local Redis: the tests' own, emptied before use
REDIS_URL = os.environ.get("CHUNFENG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_queue(settings):
    """The web side enqueues into Redis; → the RQ queue, emptied."""
    import django_rq  # only where the Redis option is tested
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI 须有 Redis（{REDIS_URL}）：.ci/run 会安装并启动 redis-server")
        pytest.skip(f"没有可用的 Redis（{REDIS_URL}）")
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


@pytest.fixture
def rq_worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "CHUNFENG_DATA_DIR": str(tmp_path),
        "CHUNFENG_SECRET_KEY": "test",
        "CHUNFENG_TASKS": "rq",
        "CHUNFENG_REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "chunfeng.config.settings",
    }

    def run() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "chunfeng", "worker", "--batch"]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    return run


def test_an_rq_worker_runs_the_jobs_the_web_side_queued_in_redis(
    fed, login, redis_queue, rq_worker
):
    filler = login(fed.user("zs", "filler"))
    upload = SimpleUploadedFile("名单.xlsx", xlsx_bytes([row(1), row(2)]))
    preview = filler.post(reverse("household-import"), {"unit": "210202", "file": upload}).url
    check = Job.objects.get(kind="register.import.check")
    assert check.status == "queued" and redis_queue.count == 1

    ran = rq_worker()
    assert ran.returncode == 0, ran.stderr[-2000:]
    check.refresh_from_db()
    assert (check.status, check.result.get("valid")) == ("done", 2), (
        check.message,
        ran.stderr[-6000:],
    )
    assert redis_queue.count == 0

    filler.post(preview + "commit/")
    job = Job.objects.get(kind="register.import")
    assert job.status == "queued" and redis_queue.count == 1 and not Household.objects.exists()
    assert rq_worker().returncode == 0
    job.refresh_from_db()
    assert (job.status, job.result["count"]) == ("done", 2)
    numbers = set(Household.objects.values_list("id_number", flat=True))
    assert numbers == {make_id(1), make_id(2)}


def test_the_settings_select_the_redis_queue():
    env = os.environ | {
        "CHUNFENG_TASKS": "rq",
        "CHUNFENG_REDIS_URL": REDIS_URL,
        "CHUNFENG_SECRET_KEY": "test",
    }
    script = (
        "from django.conf import settings as s; import django; django.setup();"
        "print(s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'], s.SESSION_ENGINE,"
        " 'django_rq' in s.INSTALLED_APPS)"
    )
    env["DJANGO_SETTINGS_MODULE"] = "chunfeng.config.settings"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.stdout.split() == [
        "django_tasks_rq.RQBackend",
        REDIS_URL,
        "django.contrib.sessions.backends.cached_db",
        "True",
    ], out.stderr
    bad = subprocess.run(
        [sys.executable, "-c", script],
        env=env | {"CHUNFENG_REDIS_URL": ""},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "CHUNFENG_REDIS_URL" in bad.stderr
