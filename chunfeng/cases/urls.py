from django.urls import path

from . import action_views, apply_views, config_views, public_views, views

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/figures/", views.case_figures_page, name="case-figures"),
    path("cases/settings/", config_views.case_config, name="case-config"),
    path("cases/settings/limits/", config_views.case_limit_set, name="case-limit-set"),
    path(
        "cases/settings/limits/<id:pk>/remove/",
        config_views.case_limit_remove,
        name="case-limit-remove",
    ),
    path("cases/settings/days/", config_views.case_day_set, name="case-day-set"),
    path(
        "cases/settings/days/<id:pk>/remove/", config_views.case_day_remove, name="case-day-remove"
    ),
    path("cases/<id:pk>/", views.case_detail, name="case-detail"),
    path("cases/<id:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<id:pk>/reveal/", views.case_reveal, name="case-reveal"),
    path("cases/<id:pk>/acknowledge/", action_views.case_acknowledge_view, name="case-acknowledge"),
    path("cases/<id:pk>/transfer/", action_views.case_transfer_view, name="case-transfer"),
    path("cases/<id:pk>/log/", action_views.case_log_view, name="case-log"),
    path("cases/<id:pk>/extend/", action_views.case_extend_view, name="case-extend"),
    path(
        "cases/<id:pk>/extensions/<id:extension_pk>/",
        action_views.case_extension_decide_view,
        name="case-extension-decide",
    ),
    path("cases/<id:pk>/close/", action_views.case_close_view, name="case-close"),
    path("cases/<id:pk>/visit/", action_views.case_visit_view, name="case-visit"),
    path("cases/<id:pk>/reopen/", action_views.case_reopen_view, name="case-reopen"),
    path(
        "cases/<id:pk>/application/",
        apply_views.case_application_view,
        name="case-application",
    ),
    path("cases/<id:pk>/household/", action_views.case_household_view, name="case-household"),
    path("cases/<id:pk>/pay/", action_views.case_pay_view, name="case-pay"),
    path("cases/<id:pk>/attachments/", action_views.case_attach_view, name="case-attach"),
    path(
        "cases/<id:pk>/attachments/<id:attachment_pk>/",
        action_views.case_attachment_view,
        name="case-attachment",
    ),
    # the workers' public page: no login
    path("12351/", public_views.public_request, name="public-request"),
    path("12351/status/", public_views.public_status, name="public-status"),
]
