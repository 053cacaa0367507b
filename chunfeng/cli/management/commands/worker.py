"""`chunfeng worker`: runs the queued jobs — django-tasks-db's database worker — and, about once
a minute, the scheduler's periodic functions that are due (``chunfeng.jobs.schedule``).

On PostgreSQL run as many workers as you like, on as many machines: each task is taken with
``SELECT … FOR UPDATE SKIP LOCKED``. On SQLite run one (`chunfeng serve` starts it)."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from chunfeng.jobs.schedule import Ticker


class Command(DatabaseWorkerCommand):
    help = (
        "运行排队的后台任务（--batch：运行完已排队的任务即退出），并每分钟运行一次到期的定时任务。"
        "PostgreSQL 上可在多台机器上运行多个；SQLite 上只运行一个。"
    )

    def handle(self, *args, **options):
        # --reload runs the worker in a child process; the parent only watches the files
        watching = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options["batch"] and not watching:
            Ticker().start()
        super().handle(*args, **options)
