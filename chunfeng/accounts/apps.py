from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chunfeng.accounts"
    verbose_name = "用户"
