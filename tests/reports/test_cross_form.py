"""Checks that fit the seed, through the pages and the API: a true 附件2 with more 农民工 helped
than 困难职工 (item 09 > item 08) is submitted with a 说明, and 附件1's 03E is checked against
附件2's 08K of the same unit in the same campaign."""

import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from tests.fixtures import attach_work_report, file_report, zeros

F1, F2 = latest_builtin("F1"), latest_builtin("F2")
TRUE_F2 = {"08A": 10, "08B": 10, "09A": 12, "09B": 12}  # 09 counts every migrant worker helped


@pytest.fixture
def client_as(fed, api):
    return lambda key, role: api(fed.token(key, role))


@pytest.fixture
def report_url(fed):
    return lambda unit, form: f"/api/v1/campaigns/{fed.campaign.pk}/reports/{unit}/{form}"


def put(client, url, values, explanations=None):
    body = {"values": values} | ({"explanations": explanations} if explanations else {})
    return client.put(url, body, content_type="application/json")


def warnings_of(answer) -> set[str]:
    return {w["check"] for w in answer.json()["warnings"]}


def test_a_true_report_with_09_above_08_is_submitted_with_a_note(fed, client_as, report_url):
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    client, url = client_as("zs", "filler"), report_url("210202", "F2")
    saved = put(client, url, {**zeros(F2), **TRUE_F2})
    assert saved.json()["errors"] == []
    assert warnings_of(saved) == {"F2-09T01", "F2-09T03"}
    refused = client.post(f"{url}/submit")
    assert refused.status_code == 400
    assert "F2-09T01" in refused.json()["message"]
    notes = {"F2-09T01": "帮扶中心帮扶的农民工多数不是困难农民工", "F2-09T03": "同上"}
    put(client, url, {**zeros(F2), **TRUE_F2}, notes)
    submitted = client.post(f"{url}/submit")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["explanations"] == notes


@pytest.fixture
def f2_filed(fed):
    """中山区's 附件2 says 5 households got out of hardship through the centre."""
    return file_report(fed, fed.zs, "F2", {"08K": 5, "08A": 5, "08B": 5})


def test_the_cross_form_warning_through_the_api(fed, f2_filed, client_as, report_url):
    client, url = client_as("zs", "filler"), report_url("210202", "F1")
    saved = put(client, url, {**zeros(F1), "03E": 3})
    assert "F1-X01" in warnings_of(saved)
    message = next(w["message"] for w in saved.json()["warnings"] if w["check"] == "F1-X01")
    assert "F2 08K" in message and "03E" in message
    assert "F1-X01" in warnings_of(client.get(url))
    assert saved.json()["readiness"]["unexplained"] == ["F1-X01"]
    assert "F1-X01" not in warnings_of(put(client, url, {**zeros(F1), "03E": 5}))


def test_the_cross_form_warning_on_the_entry_page(fed, f2_filed, login):
    client = login(fed.user("zs", "filler"))
    url = f"/campaigns/{fed.campaign.pk}/reports/210202/F1/"
    data = {f"v-{code}": value for code, value in zeros(F1).items()} | {"v-03E": "3"}
    checked = client.post(url + "check/", data).content.decode()
    assert "F1-X01" in checked and "F2 08K" in checked
    assert client.post(url, data).status_code == 302  # a warning does not stop a draft
    page = client.get(url).content.decode()
    assert "F1-X01" in page
    report = Report.objects.get(unit=fed.zs, campaign_form__code="F1")
    assert report.status == "draft"


def test_without_the_other_form_the_cross_check_waits(fed, client_as, report_url):
    saved = put(client_as("zs", "filler"), report_url("210202", "F1"), {**zeros(F1), "03E": 0})
    assert "F1-X01" not in warnings_of(saved)


def test_another_units_other_form_is_not_read(fed, client_as, report_url):
    file_report(fed, fed.xg, "F2", {"08K": 5, "08A": 5, "08B": 5})
    saved = put(client_as("zs", "filler"), report_url("210202", "F1"), {**zeros(F1), "03E": 3})
    assert "F1-X01" not in warnings_of(saved)


def test_like_with_like_a_units_own_filing_is_not_its_filed_report(fed, client_as, report_url):
    """中山区's 本级 附件2 (its own 5 households out of hardship) is read by its 本级 附件1's
    check, not by its filed 附件1 (合计), which waits for its filed 附件2."""
    passed = client_as("zs", "admin").post(
        f"/api/v1/campaigns/{fed.campaign.pk}/pass-down",
        {"target": "grassroots", "deadline": "2012-01-05"},
        content_type="application/json",
    )
    assert passed.status_code == 201, passed.json()
    client = client_as("zs", "filler")
    own_f2 = put(client, report_url("210202", "F2") + "/own", {**zeros(F2), **F2_OUT_OF_HARDSHIP})
    assert own_f2.status_code == 200, own_f2.json()
    filed = put(client, report_url("210202", "F1"), {**zeros(F1), "03E": 3})
    assert filed.status_code == 200 and "F1-X01" not in warnings_of(filed)
    own = put(client, report_url("210202", "F1") + "/own", {**zeros(F1), "03E": 3})
    assert own.status_code == 200 and "F1-X01" in warnings_of(own)


F2_OUT_OF_HARDSHIP = {"08K": 5, "08A": 5, "08B": 5}
