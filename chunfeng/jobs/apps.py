import datetime as dt

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chunfeng.jobs"
    verbose_name = "后台任务"

    def ready(self):
        from .schedule import register_periodic
        from .services import jobs_fail_stale

        register_periodic("jobs.fail_stale", dt.timedelta(minutes=1), jobs_fail_stale)
