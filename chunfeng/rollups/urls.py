from django.urls import path

from . import views

prefix = "campaigns/<id:campaign_id>/summary/<str:unit_code>/<str:form_code>/"
report = "campaigns/<id:campaign_id>/reports/<str:unit_code>/<str:form_code>/"
urlpatterns = [
    path(prefix, views.summary_page, name="summary"),
    path(prefix + "records/", views.summary_records, name="summary-records"),
    path(prefix + "table/", views.unit_table, name="summary-table"),
    path(prefix + "drill/<str:code>/", views.drill_down, name="summary-drill"),
    path(report + "fill/", views.fill_from_children, name="report-fill"),
    path("campaigns/<id:campaign_id>/close/", views.close_campaign, name="campaign-close"),
]
