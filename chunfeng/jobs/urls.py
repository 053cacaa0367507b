from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<int:pk>/", views.job_status, name="job-status"),
    path("<int:pk>/file/", views.job_file, name="job-file"),
]
