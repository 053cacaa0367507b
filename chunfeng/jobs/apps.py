import datetime as dt

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chunfeng.jobs"
    verbose_name = "后台任务"

    def ready(self):
        # models are importable only once the app registry is ready
        from .schedule import register_periodic
        from .services import job_files_sweep, jobs_fail_stale  # (same reason)

        register_periodic("jobs.fail_stale", dt.timedelta(minutes=1), jobs_fail_stale)
        register_periodic("jobs.sweep_files", dt.timedelta(hours=6), job_files_sweep)
