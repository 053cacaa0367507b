from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chunfeng.reports"
    verbose_name = "统计报表"
