"""POST /campaigns/{id}/pass-down and GET /campaigns/{id}/deadlines: who may pass a campaign
on, with which deadline, and the tree of deadlines each caller sees."""

import pytest

from chunfeng.campaigns.models import PassDown


def post(client, fed, **body):
    data = {"target": "grassroots", "deadline": "2012-01-05", "notice": "请于5日前报送"} | body
    return client.post(
        f"/api/v1/campaigns/{fed.campaign.pk}/pass-down", data, content_type="application/json"
    )


def test_a_district_passes_down_with_an_earlier_deadline(fed, client_as):
    response = post(client_as("zs", "admin"), fed)
    assert response.status_code == 201
    assert response.json() == {
        "campaign": fed.campaign.pk,
        "unit": "210202",
        "deadline": "2012-01-05",
        "notice": "请于5日前报送",
        "units": ["210202001"],
    }
    rows = client_as("zsg", "viewer").get(f"/api/v1/campaigns/{fed.campaign.pk}/deadlines")
    assert [(r["unit"], r["depth"], r["deadline"]) for r in rows.json()] == [
        ("210200", 0, "2012-01-08"),
        ("210202", 1, "2012-01-05"),
    ]
    completeness = client_as("zs", "viewer").get(
        f"/api/v1/campaigns/{fed.campaign.pk}/completeness"
    )
    deadlines = {r["unit"]: r["deadline"] for r in completeness.json()["rows"]}
    assert deadlines == {"210202": "2012-01-08", "210202001": "2012-01-05"}


def test_a_later_deadline_is_refused(fed, client_as):
    response = post(client_as("zs", "reviewer"), fed, deadline="2012-01-09")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "late_deadline"
    assert "不能晚于中山区总工会本身的报送截止日期 2012-01-08" in body["message"]
    assert body["details"][0]["field"] == "deadline"
    assert not PassDown.objects.exists()


@pytest.mark.parametrize(
    "key, role, body, status",
    [
        ("zs", "admin", {}, 201),
        ("zs", "reviewer", {}, 201),
        ("city", "admin", {"unit": "210202"}, 201),  # an admin above acts for the district
        ("zs", "filler", {}, 403),
        ("zs", "viewer", {}, 403),
        ("xg", "admin", {"unit": "210202"}, 404),  # another district: not in its subtree
        ("zsg", "admin", {}, 404),  # not a recipient yet: the campaign is not visible
        ("city", "admin", {}, 400),  # the owner is not a recipient: it chose its recipients
        ("zs", "admin", {"target": "everyone"}, 422),
        ("zs", "admin", {"target": "picked", "units": ["210203001"]}, 400),
    ],
)
def test_who_may_pass_down(fed, client_as, key, role, body, status):
    response = post(client_as(key, role), fed, **body)
    assert response.status_code == status, response.json()
    assert PassDown.objects.exists() == (status == 201)


def test_documented_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operation = paths["/api/v1/campaigns/{campaign_id}/pass-down"]["post"]
    assert operation["summary"] == "向下级下发活动"
    assert {"201", "400", "403", "404"} <= set(operation["responses"])
    assert "/api/v1/campaigns/{campaign_id}/deadlines" in paths


def test_completeness_heads_with_the_deadline_its_unit_was_given(fed, client_as, login):
    """Below a district that passed the campaign on, the completeness of a grassroots union is
    headed by the date the district gave it, on the page and in the API."""
    assert post(client_as("zs", "admin"), fed).status_code == 201
    url = f"/api/v1/campaigns/{fed.campaign.pk}/completeness"
    assert client_as("zs", "viewer").get(url).json()["deadline"] == "2012-01-08"
    street = client_as("zs", "viewer").get(url + "?unit=210202001").json()
    assert street["deadline"] == "2012-01-05"
    page = login(fed.user("zs", "viewer")).get(
        f"/campaigns/{fed.campaign.pk}/completeness/?unit=210202001"
    )
    assert '<span id="root-deadline">2012-01-05</span>' in page.content.decode()
