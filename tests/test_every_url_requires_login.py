"""No page or endpoint is left open: every URL the project routes, called without a session or
token, is refused (login redirect for pages, 401 for the API), whatever the method."""

import pytest
from django.urls import get_resolver

from .routes import concrete, walk

# api-root is ninja's index, which only answers 404
PUBLIC = {
    "favicon",
    "health",  # for load balancers and monitoring: counts only, no personal data
    "login",
    "set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
}
# the workers' 12351 page and its two endpoints: no login by design (rate limited)
PUBLIC |= {"public-request", "public-status", "public-api:api-root"}
PUBLIC |= {"public-api:worker_request", "public-api:worker_status"}


ROUTES = sorted({(name, concrete(route)) for name, route in walk(get_resolver().url_patterns)})


@pytest.mark.parametrize(
    "name, path", [r for r in ROUTES if r[0] not in PUBLIC and r[0] != "logout"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_refused(db, client, name, path, method):
    response = getattr(client, method)(path)
    if path.startswith("/api/"):
        assert response.status_code in (401, 405), (name, path, response.status_code)
    else:
        assert response.status_code in (302, 405), (name, path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/login/"), (name, path)


def test_the_guard_sees_the_routes():
    names = {name for name, _ in ROUTES}
    expected_names = ("report-entry", "summary", "campaign-completeness", "unit-list", "user-list")
    for expected in (*expected_names, "household-list-export", "summary-records"):
        assert expected in names
    assert any(path.startswith("/api/v1/") for _, path in ROUTES)
