from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chunfeng.reports"
    verbose_name = "统计报表"

    def ready(self):
        from . import panels  # registers the pages' panels once the models are loaded

        panels.register()
