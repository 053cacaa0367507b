"""`chunfeng serve` starts one worker process beside the web server and stops it gently (SIGTERM:
the worker finishes its job) when the server ends; `--no-worker` starts none."""

import datetime as dt
import signal
import sys
import time
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from gunicorn.config import Config
from gunicorn.glogging import Logger

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


def test_the_access_log_carries_no_query_string_nor_referrer(tmp_path):
    """An ID number searched for by GET (``q=…``, an older API client) or carried by the
    previous page's URL (the referrer) never reaches gunicorn's access log line."""
    number = "210202198001011234"
    config = Config()
    for key, value in serve.gunicorn_settings("127.0.0.1", 8000, 2).items():
        config.set(key, value)
    config.set("accesslog", str(tmp_path / "access.log"))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/api/v1/households?q={number}",
        "PATH_INFO": "/api/v1/households",
        "QUERY_STRING": f"q={number}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"http://chunfeng.local/register/?q={number}",
        "HTTP_USER_AGENT": "curl/8",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    Logger(config).access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(0, 0, 2500))
    line = (tmp_path / "access.log").read_text()
    assert '"GET /api/v1/households HTTP/1.1" 200 512' in line and "10.0.0.7" in line
    assert number not in line and "q=" not in line and "register" not in line
