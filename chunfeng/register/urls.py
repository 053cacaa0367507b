from django.urls import path

from . import access_views, import_views, review_views, views

urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("export.xlsx", views.household_list_export, name="household-list-export"),
    path("new/", views.household_new, name="household-new"),
    path("<id:pk>/", views.household_detail, name="household-detail"),
    path("<id:pk>/edit/", views.household_edit, name="household-edit"),
    path("<id:pk>/escape/", views.household_escape_view, name="household-escape"),
    path("<id:pk>/reveal/", views.household_reveal, name="household-reveal"),
    path("<id:pk>/members/", views.member_add, name="household-member-add"),
    path(
        "<id:pk>/history/<id:event>/unseal/",
        review_views.history_unseal_view,
        name="household-history-unseal",
    ),
    path("changes/", review_views.changes_waiting_list, name="household-changes"),
    path(
        "changes/<id:pk>/approve/",
        review_views.change_approve_view,
        name="household-change-approve",
    ),
    path(
        "changes/<id:pk>/reject/", review_views.change_reject_view, name="household-change-reject"
    ),
    path("id-access/", access_views.id_access_list, name="id-access-list"),
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
