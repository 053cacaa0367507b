from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "chunfeng.applications"
    verbose_name = "困难职工建档申请"

    def ready(self) -> None:
        # the scheduler and the panels are read only once the apps are loaded
        from chunfeng.jobs.schedule import register_periodic

        # (same reason: the reviews' models)
        from . import reviews

        register_periodic("applications.reviews", reviews.EVERY, reviews.reviews_mark_overdue)
