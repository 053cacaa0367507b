from django.apps import AppConfig


class ReconcileConfig(AppConfig):
    name = "chunfeng.reconcile"
    verbose_name = "表实相符"

    def ready(self):
        from . import panels  # registers the pages' panels once the models are loaded

        panels.register()
