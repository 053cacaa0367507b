from django.urls import path

from . import views

report = "campaigns/<id:campaign_id>/reports/<str:unit_code>/<str:form_code>/"
summary = "campaigns/<id:campaign_id>/summary/<str:unit_code>/<str:form_code>/"
urlpatterns = [
    path(report + "file/<str:kind>.<str:ext>", views.report_file, name="report-file"),
    path(report + "import/", views.report_upload, name="report-import"),
    path(
        report + "own/file/<str:kind>.<str:ext>",
        views.report_file,
        {"own": True},
        name="own-file",
    ),
    path(report + "own/import/", views.report_upload, {"own": True}, name="own-import"),
    path(summary + "file.<str:ext>", views.summary_file, name="summary-file"),
    path(summary + "table.<str:ext>", views.unit_table_file, name="summary-table-file"),
]
