from django.urls import path

from . import views

urlpatterns = [
    path("", views.user_list, name="user-list"),
    path("add/", views.user_add, name="user-create"),
    path("<int:pk>/", views.user_change, name="user-update"),
]
