from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "chunfeng.rollups"
    verbose_name = "汇总"

    def ready(self):
        from . import panels  # registers the pages' panels once the models are loaded

        panels.register()
