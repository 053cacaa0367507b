from django.urls import path

from .api import api
from .public import public_api

urlpatterns = [path("v1/", api.urls), path("public/v1/", public_api.urls)]
