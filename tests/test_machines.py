"""The settings of several machines (chunfeng/config/machines.py, docs/deploy.md): connections
kept or pooled, the statement timeout, the storage of files, the job queue."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from chunfeng.config import machines

PG = "postgres://chunfeng@db.example.cn:5432/chunfeng"


def test_connections_are_kept_and_checked_by_default(monkeypatch):
    for name in ("CHUNFENG_DB_CONN_MAX_AGE", "CHUNFENG_DB_POOL", "CHUNFENG_DB_STATEMENT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    db = machines.database(PG)
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)
    assert "options" not in db.get("OPTIONS", {}) and "pool" not in db.get("OPTIONS", {})


def test_a_pool_and_a_statement_timeout(monkeypatch):
    monkeypatch.setenv("CHUNFENG_DB_POOL", "8")
    monkeypatch.setenv("CHUNFENG_DB_STATEMENT_TIMEOUT", "2.5")
    db = machines.database(PG)
    assert db["OPTIONS"]["pool"]["max_size"] == 8 and db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["options"] == "-c statement_timeout=2500"


def test_sqlite_has_neither(monkeypatch):
    monkeypatch.setenv("CHUNFENG_DB_POOL", "8")
    monkeypatch.setenv("CHUNFENG_DB_STATEMENT_TIMEOUT", "30")
    assert (
        "OPTIONS" not in machines.database("sqlite:////tmp/x.sqlite3")
        or not (machines.database("sqlite:////tmp/x.sqlite3")["OPTIONS"])
    )


def test_the_statement_timeout_cancels_a_long_query_on_postgresql(db):
    """End to end: a process started with CHUNFENG_DB_STATEMENT_TIMEOUT has its query cancelled."""
    from django.db import connection

    from tests.cli.test_worker import database_url

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    script = (
        "import django; django.setup(); from django.db import connection\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(3)')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "CHUNFENG_DB_STATEMENT_TIMEOUT": "0.2",
        "CHUNFENG_SECRET_KEY": "test",
        "DJANGO_SETTINGS_MODULE": "chunfeng.config.settings",
    }
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert "statement timeout" in out.stdout, out.stderr[-2000:]


def test_files_locally_or_in_s3_compatible_storage(monkeypatch):
    monkeypatch.delenv("CHUNFENG_STORAGE", raising=False)
    assert machines.default_storage()["BACKEND"].endswith("FileSystemStorage")
    monkeypatch.setenv("CHUNFENG_STORAGE", "s3")
    monkeypatch.setenv("CHUNFENG_S3_BUCKET", "chunfeng-files")
    monkeypatch.setenv("CHUNFENG_S3_ENDPOINT_URL", "http://minio.intranet:9000")
    s3 = machines.default_storage()
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "chunfeng-files"
    assert s3["OPTIONS"]["endpoint_url"] == "http://minio.intranet:9000"
    assert s3["OPTIONS"]["default_acl"] is None  # private
    from storages.backends.s3 import S3Storage  # the backend is installed (django-storages[s3])

    storage = S3Storage(**s3["OPTIONS"])
    assert storage.bucket_name == "chunfeng-files"
    monkeypatch.setenv("CHUNFENG_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="CHUNFENG_STORAGE"):
        machines.default_storage()


def test_the_queue():
    assert machines.tasks("database", "")["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    rq = machines.tasks("rq", "redis://127.0.0.1:6379/0")
    assert rq["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    with pytest.raises(ImproperlyConfigured, match="CHUNFENG_REDIS_URL"):
        machines.tasks("rq", "")
    with pytest.raises(ImproperlyConfigured, match="CHUNFENG_TASKS"):
        machines.tasks("celery", "")


def test_every_setting_of_several_machines_is_documented():
    """Each variable the settings of several machines read is in docs/deploy.md."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    names = set(re.findall(r'"(CHUNFENG_\w+)"', (root / "chunfeng/config/machines.py").read_text()))
    names |= {
        "CHUNFENG_TASKS",
        "CHUNFENG_REDIS_URL",
        "CHUNFENG_MEDIA_ROOT",
        "CHUNFENG_JOB_FILE_DAYS",
    }
    names.add("CHUNFENG_EXPORT_IN_REQUEST_UNITS")
    docs = (root / "docs/deploy.md").read_text(encoding="utf-8")
    assert len(names) >= 14
    assert [n for n in sorted(names) if n not in docs] == []
