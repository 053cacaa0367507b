from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chunfeng.core"
    verbose_name = "公共"
