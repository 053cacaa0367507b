import datetime as dt

import pytest

from chunfeng.campaigns.services import campaign_create


@pytest.fixture
def xg_campaign(fed):
    """A campaign of 西岗区 alone: nobody outside 西岗区 (and the city above) may see it."""
    return campaign_create(
        owner=fed.xg,
        name="西岗区春节慰问",
        period_start=dt.date(2012, 1, 1),
        period_end=dt.date(2012, 1, 20),
        deadline=dt.date(2012, 1, 10),
        forms={"F1": None},
        recipients=[fed.xg_g1],
    )


def listed(client) -> dict[int, dict]:
    response = client.get("/api/v1/campaigns")
    assert response.status_code == 200
    return {c["id"]: c for c in response.json()}


def test_detail_fields(fed, client_as):
    response = client_as("city", "viewer").get(f"/api/v1/campaigns/{fed.campaign.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["forms"] == [
        {"code": "F1", "version": 2, "title": body["forms"][0]["title"], "reference_date": None},
        {
            "code": "F2",
            "version": 2,
            "title": body["forms"][1]["title"],
            "reference_date": "2011-12-31",
        },
    ]
    assert all(f["title"] for f in body["forms"])
    assert {k: v for k, v in body.items() if k != "forms"} == {
        "id": fed.campaign.pk,
        "name": "2012年春风行动",
        "owner": "210200",
        "period_start": "2011-12-20",
        "period_end": "2012-01-22",
        "spring_festival": "2012-01-23",
        "deadline": "2012-01-08",
        "recipients": ["210202", "210203", "2102C01"],
    }


@pytest.mark.parametrize(
    "key, role, recipients",
    [
        ("city", "admin", ["210202", "210203", "2102C01"]),
        ("zs", "filler", ["210202"]),
        ("xg", "viewer", ["210203"]),
        ("ind", "reviewer", ["2102C01"]),
    ],
)
def test_recipients_are_limited_to_the_callers_subtree(fed, client_as, key, role, recipients):
    client = client_as(key, role)
    assert listed(client)[fed.campaign.pk]["recipients"] == recipients
    detail = client.get(f"/api/v1/campaigns/{fed.campaign.pk}").json()
    assert detail["recipients"] == recipients


@pytest.mark.parametrize(
    "key, sees_demo, sees_xg",
    [("city", True, True), ("xg", True, True), ("zs", True, False), ("zsg", False, False)],
)
def test_list_and_detail_scoping(fed, client_as, xg_campaign, key, sees_demo, sees_xg):
    client = client_as(key, "viewer")
    expected = {fed.campaign.pk} if sees_demo else set()
    expected |= {xg_campaign.pk} if sees_xg else set()
    assert set(listed(client)) == expected
    for campaign, visible in ((fed.campaign, sees_demo), (xg_campaign, sees_xg)):
        response = client.get(f"/api/v1/campaigns/{campaign.pk}")
        assert response.status_code == (200 if visible else 404)


def test_out_of_reach_is_404_in_chinese(client_as, xg_campaign):
    response = client_as("zs", "admin").get(f"/api/v1/campaigns/{xg_campaign.pk}")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["message"] == f"没有编号为 {xg_campaign.pk} 的活动，或您无权查看"


def test_unknown_campaign_is_404(client_as):
    assert client_as("city", "admin").get("/api/v1/campaigns/999999").status_code == 404


def test_non_numeric_id_is_422(client_as):
    response = client_as("city", "admin").get("/api/v1/campaigns/abc")
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": "campaign_id", "message": "应为整数"}]


def test_list_reads_in_a_fixed_number_of_queries(
    fed, client_as, xg_campaign, django_assert_max_num_queries
):
    client = client_as("city", "viewer")
    with django_assert_max_num_queries(6):
        assert len(listed(client)) == 2
