from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "chunfeng.orgunits"
    verbose_name = "工会组织"
