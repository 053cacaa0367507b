from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chunfeng.core"
    verbose_name = "公共"

    def ready(self) -> None:
        from django.urls import register_converter  # once the apps are loaded

        from . import checks  # noqa: F401  registers the system checks
        from .converters import RecordIdConverter  # registered before any URLconf is read

        register_converter(RecordIdConverter, "id")
