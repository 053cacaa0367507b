from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import include, path
from django.views.generic.base import RedirectView

from chunfeng.jobs.views import health_view

urlpatterns = [
    # browsers ask for /favicon.ico whatever the page says
    path(
        "favicon.ico",
        RedirectView.as_view(url=staticfiles_storage.url("chunfeng/favicon.svg"), permanent=True),
        name="favicon",
    ),
    # load balancers and monitoring: no login, no personal data (README, docs/deploy.md)
    path("health/", health_view, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("chunfeng.api.urls")),
    path("units/", include("chunfeng.orgunits.urls")),
    path("users/", include("chunfeng.accounts.urls")),
    path("jobs/", include("chunfeng.jobs.urls")),
    path("register/", include("chunfeng.register.urls")),
    path("applications/", include("chunfeng.applications.urls")),
    path("funds/", include("chunfeng.funds.urls")),
    path("", include("chunfeng.cases.urls")),
    path("", include("chunfeng.dashboards.urls")),
    path("", include("chunfeng.campaigns.urls")),
    path("", include("chunfeng.sheets.urls")),
    path("", include("chunfeng.reports.urls")),
    path("", include("chunfeng.rollups.urls")),
    path("", include("chunfeng.reconcile.urls")),
]
