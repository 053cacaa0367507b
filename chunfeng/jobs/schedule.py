"""A small scheduler. Apps register functions to run every so often (``periodic`` or
``register_periodic``, from their ``AppConfig.ready``); ``tick`` runs those that are due.
Each worker ticks about once a minute (``Ticker``), and cron may run `chunfeng tick` instead.

A ``ScheduledRun`` row per function, locked while the function runs, makes each period run
once across all workers and servers. The function runs inside that row's transaction: its
writes and the record of the run commit together (so mail sent on commit goes out once), and
one that fails is rolled back and tried again at the next tick. Keep periodic functions
short; for long work, start a job (``services.job_start``) from one."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import OperationalError, connections, transaction
from django.utils import timezone

from .health import worker_beat
from .models import ScheduledRun

log = logging.getLogger(__name__)

TICK_EVERY = 60  # seconds between a worker's ticks


@dataclass(frozen=True)
class Periodic:
    name: str
    every: dt.timedelta
    function: Callable[[], object]


_registry: dict[str, Periodic] = {}


def register_periodic(name: str, every: dt.timedelta, function: Callable[[], object]) -> None:
    """Run ``function()`` at most once per ``every``; a name registered again is replaced."""
    _registry[name] = Periodic(name, every, function)


def periodic(name: str, *, every: dt.timedelta):
    """The decorator form of ``register_periodic``."""

    def register(function):
        register_periodic(name, every, function)
        return function

    return register


def registered() -> list[Periodic]:
    return sorted(_registry.values(), key=lambda p: p.name)


@dataclass
class Ticked:
    ran: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def tick() -> Ticked:
    """Run every registered function that is due; which ran and which failed (logged)."""
    ticked = Ticked()
    for entry in registered():
        try:
            if _run_if_due(entry):
                ticked.ran.append(entry.name)
        except OperationalError as exc:  # e.g. SQLite locked by a long import: next tick
            log.warning("periodic function %s not run: %s", entry.name, exc)
            ticked.failed.append(entry.name)
        except Exception:
            log.exception("periodic function %s failed", entry.name)
            ticked.failed.append(entry.name)
    return ticked


def _run_if_due(entry: Periodic) -> bool:
    ScheduledRun.objects.get_or_create(name=entry.name)
    with transaction.atomic():
        # PostgreSQL: a row another worker holds is skipped (it is running that function).
        # SQLite has no row locks, but its transactions start IMMEDIATE: one at a time.
        unlocked = ScheduledRun.objects.select_for_update(skip_locked=True)
        run = unlocked.filter(name=entry.name).first()
        now = timezone.now()
        if run is None or (run.last_run_at is not None and now - run.last_run_at < entry.every):
            return False
        entry.function()
        run.last_run_at = now
        run.save(update_fields=["last_run_at"])
    return True


class Ticker(threading.Thread):
    """A worker's scheduler: ``tick`` now and then every ``every`` seconds until stopped, on
    its own database connection."""

    def __init__(self, every: float = TICK_EVERY):
        super().__init__(name="chunfeng-tick", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                worker_beat()
                tick()
            except Exception:  # e.g. the database is away for a moment: next time
                log.exception("tick failed")
            finally:
                connections.close_all()
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()
        self.join()
