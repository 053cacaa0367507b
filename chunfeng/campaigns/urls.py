from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/notice-file/", views.notice_file, name="campaign-notice-file"),
    path("campaigns/<int:pk>/copy/", views.campaign_copy_view, name="campaign-copy"),
    path("campaigns/<int:pk>/pass-down/", views.campaign_pass_down_page, name="campaign-pass-down"),
]
