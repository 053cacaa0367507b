"""The scheduler: a periodic function runs when due, once per period, whoever ticks — twice
in a row, from two connections at once, or from a worker's ticker thread."""

import datetime as dt
import threading

import pytest
from django.db import connections

from chunfeng.jobs import schedule
from chunfeng.jobs.models import Job, ScheduledRun
from chunfeng.jobs.schedule import Ticker, periodic, register_periodic, registered, tick

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def calls(monkeypatch):
    """An empty registry for the test; the calls of its functions by name."""
    monkeypatch.setattr(schedule, "_registry", {})
    return []


def test_the_jobs_app_registers_the_reaper():
    assert {p.name: p.every for p in registered()}["jobs.fail_stale"] == dt.timedelta(minutes=1)


def test_a_due_function_runs_once_per_period_even_when_ticked_twice(db, calls):
    @periodic("hourly", every=HOUR)
    def hourly():
        calls.append("hourly")

    assert tick().ran == ["hourly"]
    assert tick().ran == []
    assert calls == ["hourly"]
    ScheduledRun.objects.filter(name="hourly").update(
        last_run_at=ScheduledRun.objects.get(name="hourly").last_run_at - HOUR
    )
    assert tick().ran == ["hourly"] and calls == ["hourly", "hourly"]


def test_a_failing_function_is_rolled_back_and_tried_again_next_tick(db, calls):
    def failing():
        Job.objects.create(kind="half done")
        raise RuntimeError("boom")

    register_periodic("failing", HOUR, failing)
    register_periodic("fine", HOUR, lambda: calls.append("fine"))
    ticked = tick()
    assert (ticked.ran, ticked.failed) == (["fine"], ["failing"])
    assert not Job.objects.exists()
    assert ScheduledRun.objects.get(name="failing").last_run_at is None
    assert tick().failed == ["failing"]  # due again


def _in_thread(function) -> threading.Thread:
    def run():
        try:
            function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_run_the_period_once(calls):
    """The second tick comes while the first is running the function. PostgreSQL: it skips
    the locked row at once; SQLite: it waits for the first's transaction, then finds it done."""
    running, second_done = threading.Event(), threading.Event()

    def slow():
        calls.append("slow")
        running.set()
        second_done.wait(timeout=1)

    register_periodic("slow", HOUR, slow)
    ran = {}
    first = _in_thread(lambda: ran.update(first=tick().ran))
    assert running.wait(timeout=5)
    second = _in_thread(lambda: (ran.update(second=tick().ran), second_done.set()))
    first.join(timeout=30)
    second.join(timeout=30)
    assert ran == {"first": ["slow"], "second": []}
    assert calls == ["slow"]


@pytest.mark.django_db(transaction=True)
def test_a_workers_ticker_ticks_at_once_and_again(calls):
    register_periodic("often", dt.timedelta(seconds=0), lambda: calls.append("often"))
    ticker = Ticker(every=0.01)
    ticker.start()
    try:
        for _ in range(500):
            if len(calls) >= 2:
                break
            threading.Event().wait(0.01)
    finally:
        ticker.stop()
    assert len(calls) >= 2
