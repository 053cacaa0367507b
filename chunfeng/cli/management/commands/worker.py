"""`chunfeng worker`: runs the queued jobs — django-tasks-db's database worker, or with
``CHUNFENG_TASKS=rq`` an RQ worker on the Redis queue — and, about once a minute, the
scheduler's periodic functions that are due (``chunfeng.jobs.schedule``), writing the worker's
heartbeat that the health endpoint reads.

On PostgreSQL run as many workers as you like, on as many machines: each task is taken with
``SELECT … FOR UPDATE SKIP LOCKED`` (or popped from Redis by one RQ worker). On SQLite run one
(`chunfeng serve` starts it)."""

import argparse
import os

from django.conf import settings
from django.core.management import call_command
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from chunfeng.jobs.schedule import Ticker


class Command(DatabaseWorkerCommand):
    help = (
        "运行排队的后台任务（--batch：运行完已排队的任务即退出），并每分钟运行一次到期的定时任务。"
        "PostgreSQL 上可在多台机器上运行多个；SQLite 上只运行一个。"
    )

    def add_arguments(self, parser):
        if settings.CHUNFENG_TASKS != "rq":
            super().add_arguments(parser)
            return
        # the RQ worker's: the database worker's options that serve and the docs use
        parser.add_argument("--batch", action="store_true", help="运行完已排队的任务即退出")
        parser.add_argument("--reload", action=argparse.BooleanOptionalAction, default=False)
        parser.add_argument("--no-startup-delay", action="store_true", help="（与数据库队列一致）")
        parser.add_argument("--interval", type=float, default=1, help="（与数据库队列一致）")

    def handle(self, *args, **options):
        # --reload runs the worker in a child process; the parent only watches the files
        watching = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options["batch"] and not watching:
            Ticker().start()
        if settings.CHUNFENG_TASKS == "rq":
            # django-rq's worker: forks a process per job, stops after the queue is empty
            # with --burst; its scheduler runs the tasks deferred to a later time
            call_command(
                "rqworker",
                "default",
                burst=options["batch"],
                with_scheduler=True,
                job_class="django_tasks_rq.backend.Job",  # runs django-tasks' Task objects
            )
            return
        super().handle(*args, **options)
