from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "chunfeng.sheets"
    verbose_name = "Excel 与打印"
