from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "chunfeng.register"
    verbose_name = "困难职工档案"
