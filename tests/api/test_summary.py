"""GET /campaigns/{id}/summary/{unit}/{form}: exact totals against sums worked out by hand."""

import datetime as dt

import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.orgunits.services import orgunit_retire
from chunfeng.reports.workflow import report_approve
from tests.fixtures import attach_work_report, file_report, zeros

F1, F2 = latest_builtin("F1"), latest_builtin("F2")

# F2 05A is 万元 (4 decimals), 05B yes/no, 12A a count; F1 07I.2 is 元 (2 decimals).
F2_VALUES = {
    "210202": {"05A": "1.2345", "05B": "是", "12A": 3},
    "210203": {"05A": "2.0001", "05B": "是", "12A": 4},
    "2102C01": {"05A": "0.5", "05B": "否", "12A": 5},
}
F1_VALUES = {
    "210202": {"01A": 120, "07I": 2, "07I.2": "100.5"},
    "210203": {"01A": 35, "07I": 3, "07I.2": "0.25"},
    "2102C01": {"01A": 7, "07I": 1, "07I.2": "9.99"},
}


@pytest.fixture
def filed(fed):
    """Both forms filed by all three units; 210202's and 210203's approved, 2102C01's only
    submitted."""
    reviewer = fed.user("city", "reviewer")
    for unit in (fed.zs, fed.xg, fed.industry):
        for form, values in (("F1", F1_VALUES), ("F2", F2_VALUES)):
            report = file_report(fed, unit, form, values[unit.code])
            if unit is not fed.industry:
                report_approve(report=report, actor=reviewer)
    return fed


def url(fed, unit: str, form: str, status: str | None = None) -> str:
    query = f"?status={status}" if status else ""
    return f"/api/v1/campaigns/{fed.campaign.pk}/summary/{unit}/{form}{query}"


def test_approved_totals_are_exact(filed, client_as):
    response = client_as("city", "viewer").get(url(filed, "210200", "F2"))
    assert response.status_code == 200
    body = response.json()
    assert body["values"]["05A"] == "3.2346"  # 1.2345 + 2.0001
    assert body["values"]["05B"] == "2"  # two units answered 是
    assert body["values"]["12A"] == "7"  # 3 + 4
    assert body["values"]["04A"] == "0.0000"
    assert body["values"]["01A"] == "0"
    assert len(body["values"]) == len(F2.blanks)
    assert body["units"] == ["210202", "210203"]
    assert body["missing"] == ["2102C01"]
    assert body["errors"] == [] and body["warnings"] == []


def test_submitted_includes_reports_awaiting_review(filed, client_as):
    client = client_as("city", "viewer")
    body = client.get(url(filed, "210200", "F2", "submitted")).json()
    assert body["values"]["05A"] == "3.7346"  # 1.2345 + 2.0001 + 0.5
    assert body["values"]["05B"] == "2"  # 2102C01 said 否
    assert body["values"]["12A"] == "12"
    assert body["units"] == ["210202", "210203", "2102C01"]
    assert body["missing"] == []
    f1 = client.get(url(filed, "210200", "F1", "submitted")).json()["values"]
    # 2102C01's 7 workers are already in the districts' 01A: the 属地 rule keeps 155
    assert (f1["01A"], f1["07I"], f1["07I.2"]) == ("155", "6", "110.74")


def test_yuan_keeps_two_decimals(filed, client_as):
    body = client_as("city", "viewer").get(url(filed, "210200", "F1", "approved")).json()
    assert body["values"]["07I.2"] == "100.75"  # 100.5 + 0.25
    assert body["values"]["01A"] == "155"
    assert body["values"]["05A"] == "0.0000"
    assert body["units"] == ["210202", "210203"]


def test_status_defaults_to_approved(filed, client_as):
    client = client_as("city", "viewer")
    assert (
        client.get(url(filed, "210200", "F2")).json()
        == client.get(url(filed, "210200", "F2", "approved")).json()
    )


@pytest.mark.parametrize("status", ["draft", "all", "APPROVED", ""])
def test_other_status_is_400(filed, client_as, status):
    response = client_as("city", "viewer").get(
        f"/api/v1/campaigns/{filed.campaign.pk}/summary/210200/F2?status={status}"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_parameter"
    assert response.json()["details"][0]["field"] == "status"


def test_nothing_filed_yet(fed, client_as):
    body = client_as("city", "viewer").get(url(fed, "210200", "F1")).json()
    blanks = body.pop("blanks")
    assert body == {
        "values": {},
        "units": [],
        "missing": ["210202", "210203", "2102C01"],
        "branches": {"territory": ["210202", "210203"], "industry": ["2102C01"]},
        "errors": [],
        "warnings": [],
    }
    assert blanks["01A"] == {
        "own": None,
        "children": None,
        "total": None,
        "territory": None,
        "industry": None,
        "rule": "territory",
        "rule_label": "本级＋属地（产业与属地重叠，不相加）",
    }
    assert blanks["05A"]["rule"] == "both"


def test_totals_are_checked(fed, client_as):
    """A warning explained in one report shows on a total made of that report alone."""
    client, url_f2 = (
        client_as("zs", "filler"),
        f"/api/v1/campaigns/{fed.campaign.pk}/reports/210202/F2",
    )
    values = {**zeros(F2), "05B": "是"}  # 是 with 05A = 0: warning F2-W07
    saved = client.put(
        url_f2,
        {"values": values, "explanations": {"F2-W07": "尚未拨付"}},
        content_type="application/json",
    )
    assert saved.status_code == 200
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    assert client.post(f"{url_f2}/submit").status_code == 200
    body = client_as("city", "viewer").get(url(fed, "210200", "F2", "submitted")).json()
    assert body["values"]["05B"] == "1"
    assert [w["check"] for w in body["warnings"]] == ["F2-W07"]
    assert body["warnings"][0]["message"]
    assert body["errors"] == []


def test_a_district_sums_its_grassroots(filed, client_as):
    filed.campaign.recipients.add(filed.zs_g1)
    report = file_report(filed, filed.zs_g1, "F2", {"05A": "0.0007", "05B": "是", "12A": 1})
    client = client_as("zs", "reviewer")
    assert client.get(url(filed, "210202", "F2")).json()["units"] == []
    report_approve(report=report, actor=filed.user("zs", "reviewer"))
    body = client.get(url(filed, "210202", "F2")).json()
    assert (body["values"]["05A"], body["values"]["05B"], body["values"]["12A"]) == (
        "0.0007",
        "1",
        "1",
    )
    assert body["units"] == ["210202001"] and body["missing"] == []
    # the city sums only the topmost reporting units: 210202001 is inside 210202's figures
    city = client_as("city", "viewer").get(url(filed, "210200", "F2")).json()
    assert city["values"]["05A"] == "3.2346"
    assert "210202001" not in city["units"] + city["missing"]


@pytest.mark.parametrize(
    "key, role, unit, status",
    [
        ("city", "viewer", "210200", 200),
        ("city", "filler", "210202", 200),
        ("zs", "viewer", "210202", 200),  # its own unit: nothing below reports here
        ("zs", "filler", "210202", 200),
        ("zs", "reviewer", "210202", 200),
        ("zs", "viewer", "210203", 404),  # another district
        ("zs", "admin", "210200", 404),  # the city above
        ("xg", "viewer", "210202", 404),
        ("xg", "viewer", "210200", 404),
        ("ind", "viewer", "210200", 404),
        ("zsg", "viewer", "210202", 404),  # the campaign is not its business at all
        ("city", "viewer", "999999", 404),
    ],
)
def test_scope(filed, client_as, key, role, unit, status):
    response = client_as(key, role).get(url(filed, unit, "F2"))
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"
    elif unit != "210200":
        assert response.json()["units"] == [] and response.json()["values"] == {}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/campaigns/{cid}/summary/210200/F9", "/api/v1/campaigns/999999/summary/210200/F1"],
)
def test_unknown_form_or_campaign_is_404(fed, client_as, path):
    response = client_as("city", "viewer").get(path.format(cid=fed.campaign.pk))
    assert response.status_code == 404


def test_unit_retired_before_the_deadline_is_not_missing(fed, client_as):
    orgunit_retire(unit=fed.industry, on=dt.date(2012, 1, 1))
    body = client_as("city", "viewer").get(url(fed, "210200", "F1")).json()
    assert body["missing"] == ["210202", "210203"]
