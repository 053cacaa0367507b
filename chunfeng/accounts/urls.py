from django.urls import path

from . import account_views, views

urlpatterns = [
    path("", views.user_list, name="user-list"),
    path("add/", views.user_add, name="user-create"),
    path("<id:pk>/", views.user_change, name="user-update"),
    path("<id:pk>/account/", views.user_detail, name="user-detail"),
    path("<id:pk>/password/", views.reset_password, name="user-password-reset"),
    path("<id:pk>/unlock/", views.unlock_account, name="user-unlock"),
    path("me/", account_views.my_account, name="my-account"),
    path("me/password/", account_views.password_change, name="password-change"),
    path("tokens/<id:pk>/revoke/", account_views.revoke_token, name="token-revoke"),
]
