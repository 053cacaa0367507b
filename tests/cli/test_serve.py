"""`chunfeng serve` starts one worker process beside the web server and stops it gently (SIGTERM:
the worker finishes its job) when the server ends; `--no-worker` starts none."""

import signal
import sys
import time

import pytest
from django.core.management import call_command
from gunicorn.config import Config

from chunfeng.cli.management.commands import serve

# a stand-in worker: says it is ready, then leaves with status 7 when asked to stop (SIGTERM)
GENTLE_WORKER = """
import pathlib, signal, sys, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(7))
pathlib.Path(sys.argv[1]).touch()
time.sleep(60)
"""


@pytest.fixture
def started(db, settings, tmp_path, monkeypatch):
    """The workers serve starts (stand-ins), while the web server returns at once."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    ready = tmp_path / "ready"
    workers = []
    start = serve.worker_start

    def worker_start():
        workers.append(start())
        for _ in range(1000):
            if ready.exists():
                break
            time.sleep(0.01)
        return workers[-1]

    def gunicorn(host, port, count):
        assert all(w.poll() is None for w in workers)  # running beside the web server
        raise SystemExit(0)  # as gunicorn's arbiter leaves

    command = [sys.executable, "-c", GENTLE_WORKER, str(ready)]
    monkeypatch.setattr(serve, "worker_command", lambda: command)
    monkeypatch.setattr(serve, "worker_start", worker_start)
    monkeypatch.setattr(serve, "_run_gunicorn", gunicorn)
    sigint = signal.getsignal(signal.SIGINT)
    yield workers
    signal.signal(signal.SIGINT, sigint)  # serve takes Ctrl+C back from gunicorn


def test_serve_starts_a_worker_and_stops_it_gently(started):
    with pytest.raises(SystemExit):
        call_command("serve")
    [worker] = started
    assert worker.returncode == 7


def test_serve_without_a_worker(started):
    with pytest.raises(SystemExit):
        call_command("serve", "--no-worker")
    assert started == []


def test_gunicorn_is_given_settings_it_knows_with_the_request_bounded():
    config = Config()
    for name, value in serve.GUNICORN.items():
        config.set(name, value)  # an unknown name raises
    assert config.limit_request_line <= 8190 and config.limit_request_fields <= 100
    assert config.timeout <= 120 and config.max_requests > 0
