"""`chunfeng tick`: run the periodic functions that are due, once — for cron
(``* * * * * chunfeng tick``) where no `chunfeng worker` runs, or beside workers: each period
still runs once."""

from django.core.management.base import BaseCommand, CommandError

from chunfeng.jobs.schedule import tick


class Command(BaseCommand):
    help = "运行一次到期的定时任务（可由 cron 每分钟调用：* * * * * chunfeng tick）"

    def handle(self, *args, **options):
        ticked = tick()
        for name in ticked.ran:
            self.stdout.write(f"已运行：{name}")
        if ticked.failed:
            raise CommandError(f"定时任务出错（详见日志）：{'、'.join(ticked.failed)}")
