from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "chunfeng.funds"
    verbose_name = "资金与发放"

    def ready(self):
        # the 汇总 page's funds panel and the household page's aid panel, registered once the
        # models are loaded
        from . import panels, retained

        retained.register()
        panels.register()
