from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "chunfeng.demo"
    verbose_name = "演示数据"
