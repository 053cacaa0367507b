from django.apps import AppConfig


class ReconcileConfig(AppConfig):
    name = "chunfeng.reconcile"
    verbose_name = "表实相符"

    def ready(self):
        # registers the pages' panels and the system check once the models are loaded
        from . import checks, panels  # noqa: F401 - checks registers itself

        panels.register()
