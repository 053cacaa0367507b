from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "dashboards/<int:campaign_id>/overview.json",
        views.overview_data,
        name="dashboard-overview",
    ),
    path(
        "dashboards/<int:campaign_id>/charts/<slug:name>.json",
        views.chart_data,
        name="dashboard-chart",
    ),
    path(
        "dashboards/<int:campaign_id>/summary/<str:unit_code>/<str:form_code>/composition.json",
        views.composition_data,
        name="dashboard-composition",
    ),
]
