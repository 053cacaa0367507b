from django.apps import AppConfig


class FormdefsConfig(AppConfig):
    name = "chunfeng.formdefs"
    verbose_name = "表单定义"
