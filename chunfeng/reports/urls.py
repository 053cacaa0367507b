from django.urls import path

from . import views, workflow_views

prefix = "campaigns/<int:campaign_id>/reports/<str:unit_code>/<str:form_code>/"
urlpatterns = [
    path(prefix, views.report_entry, name="report-entry"),
    path(prefix + "check/", views.report_check, name="report-check"),
    path(prefix + "work-report/", workflow_views.work_report_post, name="work-report-upload"),
    path(prefix + "work-report/file/", views.work_report_download, name="work-report-file"),
    path(prefix + "<str:action>/", workflow_views.report_action, name="report-action"),
]
