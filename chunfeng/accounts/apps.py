from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chunfeng.accounts"
    verbose_name = "用户"

    def ready(self) -> None:
        # the receivers use the models, which are ready only now
        from .logins import connect

        connect()
