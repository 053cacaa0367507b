from django.urls import path

from . import import_views, views

urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("new/", views.household_new, name="household-new"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("<int:pk>/escape/", views.household_escape_view, name="household-escape"),
    path("<int:pk>/reveal/", views.household_reveal, name="household-reveal"),
    path("<int:pk>/members/", views.member_add, name="household-member-add"),
    path("import/", import_views.household_import, name="household-import"),
    path(
        "import/template.xlsx",
        import_views.household_import_template,
        name="household-import-template",
    ),
    path(
        "import/<slug:token>/",
        import_views.household_import_preview,
        name="household-import-preview",
    ),
    path(
        "import/<slug:token>/map/", import_views.household_import_map, name="household-import-map"
    ),
    path(
        "import/<slug:token>/commit/",
        import_views.household_import_commit,
        name="household-import-commit",
    ),
]
