from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chunfeng.reports"
    verbose_name = "统计报表"

    def ready(self):
        # models are importable only once the app registry is ready
        from chunfeng.jobs.schedule import register_periodic

        # (same reason)
        from . import panels, reminders

        panels.register()  # the pages' panels, once the models are loaded
        register_periodic(
            "reports.deadline_reminders", reminders.EVERY, reminders.deadline_reminders_send
        )
