import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from chunfeng.demo.services import demo_credentials, demo_load, demo_needed
from chunfeng.formdefs.services import formdefs_sync

WORKER_STOP_GRACE = 30  # seconds the worker has to finish the job it is running
# gunicorn's access log without query strings (``%(r)s`` and ``%(q)s`` carry them) and without
# the referrer (``%(f)s``, the previous page's whole URL): a number searched for or filtered by
# never reaches a log line, whichever page or endpoint it was sent to (contract (b)).
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# gunicorn besides where it listens. The request line and the headers are bounded here (gunicorn
# answers 400 past them), the body per route by chunfeng.core.uploads (README: "Request and
# upload limits"). A worker silent for 60 s is restarted (no page works that long: imports run
# as jobs), and each is replaced after about a thousand requests, which gives back to the system
# the memory a large upload took.
GUNICORN = {
    "worker_class": "gthread",
    "threads": 4,
    "accesslog": "-",
    "timeout": 60,
    "graceful_timeout": 30,
    "keepalive": 5,
    "limit_request_line": 4094,  # bytes of the request line (method, URL, protocol)
    "limit_request_fields": 64,  # headers
    "limit_request_field_size": 8190,  # bytes of one header
    "max_requests": 1000,
    "max_requests_jitter": 100,
}


class Command(BaseCommand):
    help = (
        "迁移数据库、载入表单定义（--demo 时载入演示数据），用 gunicorn 启动服务，"
        "并在旁边启动一个后台任务进程（chunfeng worker）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--demo", action="store_true", help="数据库为空时载入演示数据")
        parser.add_argument("--no-serve", action="store_true", help="只做准备工作，不启动服务")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="不启动后台任务进程（另行运行 chunfeng worker 时）",
        )

    def handle(self, *args, **opts):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        formdefs_sync()
        if opts["demo"]:
            if demo_needed():
                demo_load()
                self.stdout.write("已载入演示数据。")
            self._print_credentials()
        call_command("collectstatic", interactive=False, verbosity=0)
        if opts["no_serve"]:
            return
        worker = None if opts["no_worker"] else worker_start()
        self.stdout.write(f"春风已启动：http://{opts['host']}:{opts['port']}/  （Ctrl+C 停止）")
        serve_pid = os.getpid()
        try:
            _run_gunicorn(opts["host"], opts["port"], opts["workers"])
        finally:
            # gunicorn's forked workers leave through here too: only serve stops the worker
            if worker is not None and os.getpid() == serve_pid:
                self._stop_worker(worker)

    def _stop_worker(self, worker: subprocess.Popen) -> None:
        """SIGTERM: the worker finishes the job it is running, then exits. A second Ctrl+C,
        or ``WORKER_STOP_GRACE`` seconds, kills it (the scheduler then fails its job once the
        job's heartbeat is stale)."""
        if worker.poll() is not None:
            return
        signal.signal(signal.SIGINT, signal.default_int_handler)  # gunicorn's is gone
        worker.terminate()
        try:
            try:
                worker.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self.stdout.write("正在等待后台任务完成（再按 Ctrl+C 立即停止）…")
                worker.wait(timeout=WORKER_STOP_GRACE)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            worker.kill()
            worker.wait()

    def _print_credentials(self):
        self.stdout.write("演示账号（用户名 / 密码 / 单位 / 角色）：")
        for username, password, unit, role in demo_credentials():
            self.stdout.write(f"  {username:14} {password}  {unit}  {role}")


def gunicorn_settings(host: str, port: int, workers: int) -> dict:
    """Everything gunicorn is told: where, how many, the request bounds of ``GUNICORN`` and an
    access log without query strings."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        **GUNICORN,
        "access_log_format": ACCESS_LOG_FORMAT,
    }


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    # only the serving process needs the WSGI application and gunicorn
    from django.core.wsgi import get_wsgi_application  # noqa: I001
    from gunicorn.app.base import BaseApplication  # the serving process only

    application = get_wsgi_application()

    class App(BaseApplication):
        def load_config(self):
            for key, value in gunicorn_settings(host, port, workers).items():
                self.cfg.set(key, value)

        def load(self):
            return application

    App().run()


def worker_command() -> list[str]:
    return [sys.executable, "-m", "chunfeng", "worker", "--no-reload"]


def worker_start() -> subprocess.Popen:
    """One `chunfeng worker` beside the web server. In a session of its own, so that a Ctrl+C
    reaches only serve, which then lets the worker finish its job; on Linux it is also sent
    SIGTERM when serve dies without stopping it."""
    on_linux = sys.platform == "linux"
    return subprocess.Popen(
        worker_command(), start_new_session=True, preexec_fn=_term_with_parent if on_linux else None
    )


def _term_with_parent() -> None:
    """In the worker's process before it starts: SIGTERM when serve's process ends."""
    import ctypes  # Linux only, in the child process before exec

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
