from django.urls import path

from . import views

urlpatterns = [path("<int:pk>/", views.job_status, name="job-status")]
