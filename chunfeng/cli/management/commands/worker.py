"""`chunfeng worker`: runs the queued jobs — django-tasks-db's database worker.

On PostgreSQL run as many workers as you like, on as many machines: each task is taken with
``SELECT … FOR UPDATE SKIP LOCKED``. On SQLite run one (`chunfeng serve` starts it)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "运行排队的后台任务（--batch：运行完已排队的任务即退出）。"
        "PostgreSQL 上可在多台机器上运行多个；SQLite 上只运行一个。"
    )
