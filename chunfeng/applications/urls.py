from django.urls import path

from . import file_views, import_views, step_views, views

urlpatterns = [
    path("", views.application_list, name="application-list"),
    path("new/", views.application_new, name="application-new"),
    path("<id:pk>/", views.application_detail, name="application-detail"),
    path("<id:pk>/edit/", views.application_edit, name="application-edit"),
    path("<id:pk>/notice.pdf", views.application_notice_pdf, name="application-notice-pdf"),
    path("<id:pk>/documents/", step_views.document_upload_view, name="application-document-add"),
    path("<id:pk>/documents/<id:doc>/", views.application_document, name="application-document"),
    path("<id:pk>/objections/", step_views.objection_add_view, name="application-objection"),
    path(
        "<id:pk>/objections/<id:objection>/resolve/",
        step_views.objection_resolve_view,
        name="application-objection-resolve",
    ),
    path("<id:pk>/<slug:action>/", step_views.application_act, name="application-act"),
    path("reviews/", file_views.reviews_list, name="file-reviews"),
    path("reviews/<id:household>/", file_views.file_review_view, name="file-review"),
    path("import/", import_views.households_import_view, name="application-import"),
    path("standards/", file_views.standards_page, name="application-standards"),
]
