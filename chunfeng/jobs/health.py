"""What the health endpoint (``/health/``) answers, for load balancers and monitoring: whether
the database answers, whether a worker has been seen lately, and how many jobs wait. Counts and
times only — no user, unit, host name or file."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time

from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Job, JobStatus, WorkerBeat

# a worker beats at every tick (schedule.TICK_EVERY, 60 s): three missed ticks and it is gone
WORKER_ALIVE = dt.timedelta(minutes=3)
FORGET_AFTER = dt.timedelta(days=1)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_beat(name: str | None = None) -> None:
    """This worker is alive (called by its scheduler thread); forget workers gone for a day."""
    now = timezone.now()
    WorkerBeat.objects.update_or_create(name=name or worker_name(), defaults={"seen_at": now})
    WorkerBeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def health() -> dict:
    """The answer's body; ``database.ok`` False means this server cannot serve."""
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
        return _state(database)
    except DatabaseError:  # unreachable, or not migrated: this server cannot serve
        return {"status": "down", "database": {"ok": False}}


def _state(database: dict) -> dict:
    now = timezone.now()
    last = WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    alive = WorkerBeat.objects.filter(seen_at__gte=now - WORKER_ALIVE).count()
    waiting = Job.objects.filter(status=JobStatus.QUEUED)
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "status": "ok" if alive else "degraded",
        "database": database,
        "workers": {
            "alive": alive,
            "last_seen_seconds": _seconds(now, last),
        },
        "queue": {
            "queued": waiting.count(),
            "running": Job.objects.filter(status=JobStatus.RUNNING).count(),
            "oldest_queued_seconds": _seconds(now, oldest),
        },
    }


def _seconds(now, then) -> int | None:
    return None if then is None else int((now - then).total_seconds())
