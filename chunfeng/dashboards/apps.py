from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "chunfeng.dashboards"
    verbose_name = "首页与看板"

    def ready(self):
        from . import panels  # registers the pages' panels once the models are loaded

        panels.register()
