from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_new, name="campaign-new"),
    path("campaigns/<id:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<id:pk>/notice-file/", views.notice_file, name="campaign-notice-file"),
    path("campaigns/<id:pk>/copy/", views.campaign_copy_view, name="campaign-copy"),
    path("campaigns/<id:pk>/pass-down/", views.campaign_pass_down_page, name="campaign-pass-down"),
]
