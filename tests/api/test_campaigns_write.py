"""POST /campaigns: admins start a campaign of their own unit, for units below it."""

import datetime as dt

import pytest

from chunfeng.campaigns.models import Campaign
from chunfeng.core.models import AuditEvent
from chunfeng.orgunits.services import orgunit_retire

URL = "/api/v1/campaigns"


def body(**changes) -> dict:
    return {
        "name": "2013年春风行动",
        "period_start": "2012-12-20",
        "period_end": "2013-01-22",
        "deadline": "2013-01-08",
        "forms": ["F1", "F2"],
        "recipients": ["210202", "210203"],
        **changes,
    }


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def new_campaigns():
    return Campaign.objects.exclude(name="2012年春风行动")


def test_admin_creates_a_campaign(fed, client_as):
    client = client_as("city", "admin")
    response = post(client, body(notice="请各单位按时报送。"))
    assert response.status_code == 201, response.json()
    created = response.json()
    campaign = Campaign.objects.get(pk=created["id"])
    assert {k: v for k, v in created.items() if k != "forms"} == {
        "id": campaign.pk,
        "name": "2013年春风行动",
        "owner": "210200",
        "period_start": "2012-12-20",
        "period_end": "2013-01-22",
        "spring_festival": "2013-02-10",  # computed, not typed
        "deadline": "2013-01-08",
        "recipients": ["210202", "210203"],
    }
    assert [(f["code"], f["version"], f["reference_date"]) for f in created["forms"]] == [
        ("F1", 2, None),
        ("F2", 2, None),
    ]
    assert client.get(f"{URL}/{campaign.pk}").json() == created
    assert campaign.notice == "请各单位按时报送。"
    assert campaign.requires_work_report is True
    assert campaign.created_by == fed.user("city", "admin")
    assert AuditEvent.objects.filter(action="campaign.create", target_id=str(campaign.pk)).exists()


def test_forms_with_reference_dates_and_no_work_report(client_as):
    response = post(
        client_as("city", "admin"),
        body(forms={"F2": "2012-12-31", "F1": None}, requires_work_report=False),
    )
    assert response.status_code == 201, response.json()
    forms = {f["code"]: f["reference_date"] for f in response.json()["forms"]}
    assert forms == {"F1": None, "F2": "2012-12-31"}
    assert Campaign.objects.get(pk=response.json()["id"]).requires_work_report is False


def test_district_admin_creates_one_for_its_grassroots(fed, client_as):
    response = post(client_as("zs", "admin"), body(forms=["F1"], recipients=["210202001"]))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["owner"] == "210202"
    assert created["recipients"] == ["210202001"]
    # the city above sees it; the other district does not
    assert client_as("city", "viewer").get(f"{URL}/{created['id']}").status_code == 200
    assert client_as("xg", "admin").get(f"{URL}/{created['id']}").status_code == 404


def test_duplicate_codes_are_taken_once(client_as):
    response = post(
        client_as("city", "admin"),
        body(forms=["F1", "F1"], recipients=["210202", "210202", "2102C01"]),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["recipients"] == ["210202", "2102C01"]
    assert [f["code"] for f in response.json()["forms"]] == ["F1"]


@pytest.mark.parametrize("role", ["filler", "reviewer", "viewer"])
@pytest.mark.parametrize("key", ["city", "zs"])
def test_only_admins_may_create(client_as, key, role):
    recipients = ["210202"] if key == "city" else ["210202001"]
    response = post(client_as(key, role), body(recipients=recipients))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "管理员" in response.json()["message"]
    assert not new_campaigns().exists()


@pytest.mark.parametrize(
    "changes, code, says",
    [
        pytest.param({"period_end": "2012-12-19"}, "bad_dates", "结束日期", id="end-before-start"),
        pytest.param({"deadline": "2012-12-01"}, "bad_dates", "截止日期", id="deadline-early"),
        pytest.param({"forms": ["F1", "F9"]}, "unknown_form", "F9", id="unknown-form"),
        pytest.param({"forms": {"F7": None}}, "unknown_form", "F7", id="unknown-form-dict"),
        pytest.param({"forms": []}, "no_forms", "表单", id="no-forms"),
        pytest.param({"recipients": []}, "no_recipients", "报送单位", id="no-recipients"),
        pytest.param({"name": "  "}, "bad_name", "名称", id="blank-name"),
    ],
)
def test_invalid_campaign_is_400(client_as, changes, code, says):
    response = post(client_as("city", "admin"), body(**changes))
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == code
    assert says in answer["message"]
    assert not new_campaigns().exists()


def test_unknown_forms_are_listed(client_as):
    response = post(client_as("city", "admin"), body(forms=["F9", "F1", "X"]))
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"field": "forms", "message": "F9：没有这张表单"},
        {"field": "forms", "message": "X：没有这张表单"},
    ]


@pytest.mark.parametrize(
    "key, recipients, bad",
    [
        pytest.param("zs", ["210202001", "210203"], ["210203"], id="another-district"),
        pytest.param("zs", ["210203001"], ["210203001"], id="grassroots-of-another"),
        pytest.param("zs", ["210200"], ["210200"], id="the-parent"),
        pytest.param("zs", ["210202"], ["210202"], id="own-unit"),
        pytest.param("city", ["210200", "210202"], ["210200"], id="city-own-unit"),
        pytest.param("zs", ["999999", "210203"], ["999999", "210203"], id="unknown-and-outside"),
        pytest.param("xg", ["210202001"], ["210202001"], id="grassroots-of-zs"),
    ],
)
def test_recipients_must_be_below_the_callers_unit(client_as, key, recipients, bad):
    response = post(client_as(key, "admin"), body(recipients=recipients))
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "bad_recipients"
    assert answer["details"] == [
        {"field": "recipients", "message": f"{code}：不是下级单位"} for code in bad
    ]
    assert all(code in answer["message"] for code in bad)
    assert not new_campaigns().exists()


def test_outside_and_unknown_units_read_alike(client_as):
    """The answer must not tell a district whether a unit outside its subtree exists."""
    client = client_as("zs", "admin")
    outside = post(client, body(recipients=["210203"])).json()
    unknown = post(client, body(recipients=["999999"])).json()
    assert outside["message"].replace("210203", "?") == unknown["message"].replace("999999", "?")
    assert "西岗" not in outside["message"]


def test_retired_recipient_is_refused(fed, client_as):
    orgunit_retire(unit=fed.industry, on=dt.date(2012, 1, 1))
    response = post(client_as("city", "admin"), body(recipients=["210202", "2102C01"]))
    assert response.status_code == 400
    assert response.json()["details"] == [{"field": "recipients", "message": "2102C01：已撤销"}]


@pytest.mark.parametrize(
    "data, field",
    [
        pytest.param(body(period_start="2012-13-01"), "period_start", id="bad-date"),
        pytest.param(body(forms="F1"), "forms", id="forms-as-text"),
        pytest.param(body(recipients="210202"), "recipients", id="recipients-as-text"),
        pytest.param(body(owner="210202"), "owner", id="unknown-key"),
        pytest.param(
            {k: v for k, v in body().items() if k != "deadline"}, "deadline", id="missing"
        ),
    ],
)
def test_malformed_body_is_422(client_as, data, field):
    response = post(client_as("city", "admin"), data)
    assert response.status_code == 422
    assert field in [d["field"].split(".")[0] for d in response.json()["details"]]
    assert not new_campaigns().exists()


def test_without_token_is_401(fed, api):
    assert post(api(None), body()).status_code == 401
    assert not new_campaigns().exists()
