from django.urls import path

from . import blank_views, completeness_views, views, workflow_views

prefix = "campaigns/<id:campaign_id>/reports/<str:unit_code>/<str:form_code>/"
urlpatterns = [
    path(prefix, views.report_entry, name="report-entry"),
    path(prefix + "check/", views.report_check, name="report-check"),
    path(prefix + "blank/", blank_views.report_blank_save, name="report-blank-save"),
    path(prefix + "history/", views.report_history_page, name="report-history"),
    path(prefix + "records/", views.report_records, name="report-records"),
    path(prefix + "own/", views.report_entry, {"own": True}, name="own-entry"),
    path(prefix + "own/check/", views.report_check, {"own": True}, name="own-check"),
    path(
        prefix + "own/blank/", blank_views.report_blank_save, {"own": True}, name="own-blank-save"
    ),
    path(prefix + "own/history/", views.report_history_page, {"own": True}, name="own-history"),
    path(prefix + "own/records/", views.report_records, {"own": True}, name="own-records"),
    path(prefix + "work-report/", workflow_views.work_report_post, name="work-report-upload"),
    path(prefix + "work-report/file/", views.work_report_download, name="work-report-file"),
    *(
        path(
            prefix + f"{action}/",
            workflow_views.report_action,
            {"action": action},
            name=f"report-{action}",
        )
        for action in ("submit", "approve", "return", "reopen")
    ),
    path(
        "campaigns/<id:pk>/completeness/",
        completeness_views.completeness_page,
        name="campaign-completeness",
    ),
    path("campaigns/<id:pk>/remind/", completeness_views.remind_overdue, name="campaign-remind"),
]
