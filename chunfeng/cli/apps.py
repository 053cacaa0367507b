from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "chunfeng.cli"
    verbose_name = "命令行"
