"""The health endpoint: no login, JSON with the database, the workers' heartbeat and the queue;
counts and ages only (nothing about users, units, hosts or files); 503 when the database is
away."""

import datetime as dt
import json

from django.db import DatabaseError
from django.utils import timezone

from chunfeng.jobs import health as health_module
from chunfeng.jobs.health import worker_beat
from chunfeng.jobs.models import Job, WorkerBeat
from chunfeng.jobs.schedule import Ticker


def get(client):
    response = client.get("/health/")
    return response, json.loads(response.content)


def test_without_a_worker_the_server_is_up_but_degraded(db, client):
    response, body = get(client)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert body["status"] == "degraded" and body["database"]["ok"] is True
    assert body["workers"] == {"alive": 0, "last_seen_seconds": None}
    assert body["queue"] == {"queued": 0, "running": 0, "oldest_queued_seconds": None}


def test_a_worker_seen_lately_and_the_waiting_jobs(db, client, fed):
    worker_beat("host-a:1")
    worker_beat("host-b:2")
    WorkerBeat.objects.filter(name="host-b:2").update(
        seen_at=timezone.now() - dt.timedelta(minutes=4)  # missed three ticks: gone
    )
    Job.objects.create(kind="k", status="queued", created_by=fed.user("zs", "filler"))
    Job.objects.create(kind="k", status="queued")
    Job.objects.create(kind="k", status="running")
    Job.objects.create(kind="k", status="done")
    response, body = get(client)
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["workers"]["alive"] == 1 and body["workers"]["last_seen_seconds"] <= 1
    assert (body["queue"]["queued"], body["queue"]["running"]) == (2, 1)
    text = response.content.decode()
    for private in ("host-a", "zs_filler", "中山区", "210202"):
        assert private not in text


def test_workers_gone_for_a_day_are_forgotten(db):
    worker_beat("old:1")
    WorkerBeat.objects.update(seen_at=timezone.now() - dt.timedelta(days=2))
    worker_beat("new:2")
    assert list(WorkerBeat.objects.values_list("name", flat=True)) == ["new:2"]


def test_the_workers_scheduler_writes_the_heartbeat(transactional_db):
    ticker = Ticker(every=3600)
    ticker.start()
    ticker.stop()
    assert WorkerBeat.objects.count() == 1


def test_a_database_that_does_not_answer_is_a_503(db, client, monkeypatch):
    class Broken:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health_module, "connection", Broken())
    response, body = get(client)
    assert response.status_code == 503
    assert body == {"status": "down", "database": {"ok": False}}


def test_only_get(db, client):
    assert client.post("/health/").status_code == 405


def test_the_scheduler_sweeps_old_job_files():
    from chunfeng.jobs.schedule import registered

    assert "jobs.sweep_files" in {p.name for p in registered()}


def test_in_production_the_health_check_is_answered_over_plain_http(tmp_path):
    """A load balancer asks each server directly over HTTP: no redirect to HTTPS for it."""
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.test import Client;"
        "c = Client(); print(c.get('/health/').status_code, c.get('/login/').status_code)"
    )
    env = os.environ | {
        "CHUNFENG_ENV": "production",
        "CHUNFENG_ALLOWED_HOSTS": "testserver",
        "CHUNFENG_DATA_DIR": str(tmp_path),
        "CHUNFENG_SECRET_KEY": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "chunfeng.config.settings",
    }
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    # an unmigrated database cannot serve: 503, and not a 301 to HTTPS as the pages get
    assert out.stdout.split() == ["503", "301"], out.stderr[-2000:]
