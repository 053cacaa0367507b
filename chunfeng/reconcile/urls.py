from django.urls import path

from . import views

report = "campaigns/<id:campaign_id>/reports/<str:unit_code>/<str:form_code>/"
urlpatterns = [path(report + "derive/", views.take_derived, name="report-derive")]
