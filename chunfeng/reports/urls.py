from django.urls import path

from . import views

prefix = "campaigns/<int:campaign_id>/reports/<str:unit_code>/<str:form_code>/"
urlpatterns = [
    path(prefix, views.report_entry, name="report-entry"),
    path(prefix + "check/", views.report_check, name="report-check"),
]
