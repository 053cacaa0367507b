from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "dashboards/<id:campaign_id>/overview.json",
        views.overview_data,
        name="dashboard-overview",
    ),
    path(
        "dashboards/<id:campaign_id>/charts/<slug:name>.json",
        views.chart_data,
        name="dashboard-chart",
    ),
    path(
        "dashboards/<id:campaign_id>/summary/<str:unit_code>/<str:form_code>/composition.json",
        views.composition_data,
        name="dashboard-composition",
    ),
]
