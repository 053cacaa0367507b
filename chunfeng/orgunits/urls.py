from django.urls import path

from . import views

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("add/", views.unit_create, name="unit-create"),
    path("move/", views.unit_move, name="unit-move"),
    path("retire/", views.unit_retire, name="unit-retire"),
    path("import/", views.unit_import, name="unit-import"),
    path("import/template.csv", views.unit_import_template, name="unit-import-template"),
]
