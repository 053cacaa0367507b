from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "chunfeng.applications"
    verbose_name = "困难职工建档申请"

    def ready(self) -> None:
        # the scheduler and the panels are read only once the apps are loaded
        from chunfeng.core.panels import contribute  # (see above)
        from chunfeng.jobs.schedule import register_periodic  # (see above)

        # (same reason: the reviews' and panels' models)
        from . import panels, reviews

        register_periodic("applications.reviews", reviews.EVERY, reviews.reviews_mark_overdue)
        contribute("household.list", panels.household_list_panel)
        contribute("household.detail", panels.household_detail_panel)
