from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "chunfeng.funds"
    verbose_name = "资金与发放"
