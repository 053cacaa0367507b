from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from chunfeng.demo.services import demo_credentials, demo_load, demo_needed
from chunfeng.formdefs.services import formdefs_sync
from chunfeng.jobs.services import jobs_fail_interrupted


class Command(BaseCommand):
    help = "迁移数据库、载入表单定义（--demo 时载入演示数据），并用 gunicorn 启动服务"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--demo", action="store_true", help="数据库为空时载入演示数据")
        parser.add_argument("--no-serve", action="store_true", help="只做准备工作，不启动服务")

    def handle(self, *args, **opts):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        formdefs_sync()
        jobs_fail_interrupted()
        if opts["demo"]:
            if demo_needed():
                demo_load()
                self.stdout.write("已载入演示数据。")
            self._print_credentials()
        call_command("collectstatic", interactive=False, verbosity=0)
        if opts["no_serve"]:
            return
        self.stdout.write(f"春风已启动：http://{opts['host']}:{opts['port']}/  （Ctrl+C 停止）")
        _run_gunicorn(opts["host"], opts["port"], opts["workers"])

    def _print_credentials(self):
        self.stdout.write("演示账号（用户名 / 密码 / 单位 / 角色）：")
        for username, password, unit, role in demo_credentials():
            self.stdout.write(f"  {username:14} {password}  {unit}  {role}")


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    # only the serving process needs the WSGI application and gunicorn
    from django.core.wsgi import get_wsgi_application  # noqa: I001
    from gunicorn.app.base import BaseApplication  # the serving process only

    application = get_wsgi_application()

    class App(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self):
            return application

    App().run()
