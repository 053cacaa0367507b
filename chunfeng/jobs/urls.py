from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<id:pk>/", views.job_status, name="job-status"),
    path("<id:pk>/file/", views.job_file, name="job-file"),
]
