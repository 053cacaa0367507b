from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "chunfeng.rollups"
    verbose_name = "汇总"
