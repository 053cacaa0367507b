from django.urls import path

from . import batch_views, confirm_views, coverage_views, line_pick, views

urlpatterns = [
    path("", views.funds_home, name="funds-home"),
    path("receipts/", views.receipt_list, name="receipt-list"),
    path("receipts/add/", views.receipt_add, name="receipt-add"),
    path("batches/", batch_views.batch_list, name="batch-list"),
    path("batches/new/", batch_views.batch_new, name="batch-create"),
    path("batches/import-template.csv", batch_views.import_template, name="batch-import-template"),
    path("batches/<id:pk>/", batch_views.batch_detail, name="batch-detail"),
    path("batches/<id:pk>/lines/", batch_views.line_add_view, name="batch-line-add"),
    path("batches/<id:pk>/precheck/", batch_views.line_precheck, name="batch-line-precheck"),
    path("batches/<id:pk>/import/", batch_views.line_import_view, name="batch-import"),
    path("batches/bank-result-template.csv", confirm_views.bank_template, name="bank-template"),
    path("batches/<id:pk>/bank-result/", confirm_views.bank_result_view, name="batch-bank-result"),
    path("batches/<id:pk>/signed-sheet/", confirm_views.signed_sheet_view, name="batch-sheet"),
    path(
        "batches/<id:pk>/signed-sheet/file",
        confirm_views.signed_sheet_file,
        name="batch-sheet-file",
    ),
    path(
        "batches/<id:pk>/signed-sheet/confirm/",
        confirm_views.signed_sheet_confirm_view,
        name="batch-sheet-confirm",
    ),
    path("batches/<id:pk>/approve/", batch_views.batch_approve_view, name="batch-approve"),
    path("batches/<id:pk>/sign-sheet.pdf", batch_views.batch_sign_sheet, name="batch-sign-sheet"),
    path("batches/<id:pk>/notice.pdf", batch_views.batch_notice, name="batch-notice"),
    path("batches/<id:pk>/bank.csv", batch_views.batch_bank, name="batch-bank"),
    path("batches/<id:pk>/pick/", line_pick.line_pick, name="batch-line-pick"),
    path("lines/<id:pk>/cancel/", batch_views.line_cancel_view, name="line-cancel"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/add/", views.visit_add, name="visit-add"),
    path("duplicates/", views.duplicate_list, name="duplicate-list"),
    path("duplicates/<id:pk>/resolve/", views.flag_resolve_view, name="flag-resolve"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/<id:pk>/visit/", coverage_views.coverage_visit, name="coverage-visit"),
]
