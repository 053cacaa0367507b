"""The dashboards' endpoints: documented in the OpenAPI schema and read within the caller's
subtree only (404 outside it), for every role."""

import pytest

SCOPE = [
    ("city", "viewer", "", 200),
    ("city", "viewer", "210203", 200),
    ("zs", "filler", "", 200),
    ("zs", "viewer", "210202001", 200),  # a unit below one's own
    ("zsg", "filler", "", 200),  # a grassroots union in its district's campaign
    ("ind", "admin", "", 200),
    ("zs", "reviewer", "210203", 404),  # another district
    ("zs", "admin", "210200", 404),  # the parent of one's own unit
    ("zsg", "filler", "210202", 404),
    ("ind", "viewer", "210202", 404),
]


@pytest.mark.parametrize("key, role, unit, status", SCOPE)
@pytest.mark.parametrize("what", ["charts/money", "charts/filing-units", "overview"])
def test_scope(fed, api, key, role, unit, status, what):
    query = f"?unit={unit}" if unit else ""
    url = f"/api/v1/dashboards/{fed.campaign.pk}/{what}{query}"
    response = api(fed.token(key, role)).get(url)
    assert response.status_code == status, response.content
    if status == 404:
        assert "管辖范围" in response.json()["message"]


@pytest.mark.parametrize("key, role, unit, status", SCOPE)
def test_the_pages_chart_urls_have_the_same_scope(fed, login, key, role, unit, status):
    query = f"?unit={unit}" if unit else ""
    url = f"/dashboards/{fed.campaign.pk}/charts/coverage.json{query}"
    assert login(fed.user(key, role)).get(url).status_code == status


def test_the_schema_documents_the_dashboards(fed, api):
    paths = api(None).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/dashboards/{campaign_id}/overview",
        "/api/v1/dashboards/{campaign_id}/charts/{name}",
        "/api/v1/dashboards/{campaign_id}/summary/{unit_code}/{form_code}/composition",
    ):
        assert "get" in paths[path], path
        assert "404" in paths[path]["get"]["responses"]
    chart = paths["/api/v1/dashboards/{campaign_id}/charts/{name}"]["get"]
    assert "payments-daily" in chart["description"]


def test_the_overview_counts_down_to_the_deadline_the_unit_was_given(fed, api):
    """A district that passed the campaign on with an earlier date: its grassroots union's
    overview counts the days to that date, not to the campaign's."""
    passed = api(fed.token("zs", "admin")).post(
        f"/api/v1/campaigns/{fed.campaign.pk}/pass-down",
        {"target": "grassroots", "deadline": "2012-01-05"},
        content_type="application/json",
    )
    assert passed.status_code == 201, passed.json()
    url = f"/api/v1/dashboards/{fed.campaign.pk}/overview"
    street = api(fed.token("zsg", "filler")).get(url).json()
    district = api(fed.token("zs", "viewer")).get(url).json()
    assert (street["deadline"], district["deadline"]) == ("2012-01-05", "2012-01-08")
    assert district["days_to_deadline"] - street["days_to_deadline"] == 3
