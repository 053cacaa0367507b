from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chunfeng.cases"
    verbose_name = "12351工单"

    def ready(self):
        # models are importable only once the app registry is ready
        from chunfeng.jobs.schedule import register_periodic

        # (same reason)
        from . import supervision

        register_periodic("cases.supervision", supervision.EVERY, supervision.cases_supervise)
