import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from tests.fixtures import zeros

F1 = latest_builtin("F1")
F2 = latest_builtin("F2")


@pytest.fixture
def filler(client_as):
    return client_as("zs", "filler")


@pytest.fixture
def url(report_url):
    return report_url("210202", "F1")


def put(client, url, values, **extra):
    return client.put(url, {"values": values, **extra}, content_type="application/json")


def canonical(values: dict) -> dict:
    """What the API answers for values it was given as 0/否 strings or whole numbers."""
    return {code: str(v) for code, v in values.items()}


def test_not_started(fed, filler, url):
    response = filler.get(url)
    assert response.status_code == 200
    assert response.json() == {
        "campaign": fed.campaign.pk,
        "unit": "210202",
        "form": "F1",
        "filing": "filed",
        "final": False,
        "version": 2,
        "status": "not_started",
        "values": {},
        "explanations": {},
        "header": {"filler_name": "", "filler_phone": "", "fill_date": None},
        "errors": [],
        "warnings": [],
    }


def test_round_trip_gives_canonical_values(filler, url):
    values = {**zeros(F1), "01A": 12, "05A": "12.34", "05B": 7.5, "07I": "3", "07I.2": 12.3}
    response = put(filler, url, values)
    assert response.status_code == 200, response.json()
    saved = response.json()
    assert saved["status"] == "draft"
    assert saved["values"]["01A"] == "12"
    assert saved["values"]["05A"] == "12.3400"
    assert saved["values"]["05B"] == "7.5000"
    assert saved["values"]["07I.2"] == "12.30"
    assert saved["values"]["06A"] == "0.0000"
    assert len(saved["values"]) == 77
    assert saved["readiness"]["empty"] == []
    read = filler.get(url).json()
    assert read["values"] == saved["values"]
    assert "readiness" not in read
    assert {k: v for k, v in saved.items() if k != "readiness"} == read


@pytest.mark.parametrize(
    "raw, shown",
    [(True, "是"), (False, "否"), ("是", "是"), ("否", "否"), ("yes", "是"), (0, "否")],
)
def test_yes_no_blank(client_as, report_url, raw, shown):
    url = report_url("210202", "F2")
    response = put(client_as("zs", "filler"), url, {"05B": raw})
    assert response.status_code == 200, response.json()
    assert response.json()["values"] == {"05B": shown}
    assert client_as("zs", "viewer").get(url).json()["values"] == {"05B": shown}


def test_put_replaces_the_whole_set(filler, url):
    assert put(filler, url, zeros(F1)).status_code == 200
    response = put(filler, url, {"01A": "3", "01A.2": None, "02A": ""})
    assert response.json()["values"] == {"01A": "3"}
    assert len(response.json()["readiness"]["empty"]) == 76
    assert filler.get(url).json()["values"] == {"01A": "3"}


def test_failing_check_is_reported_and_the_draft_kept(filler, url):
    response = put(filler, url, {**zeros(F1), "01A": 1, "01A.2": 2})
    assert response.status_code == 200
    body = response.json()
    assert [e["check"] for e in body["errors"]] == ["F1-01"]
    assert body["errors"][0]["fields"] == ["01A.2", "01A"]
    assert body["errors"][0]["message"]
    assert body["readiness"] == {"ready": False, "empty": [], "errors": 1, "unexplained": []}
    assert filler.get(url).json()["errors"] == body["errors"]


def test_warnings_need_explanations(filler, url):
    values = {**zeros(F1), "07I": 5, "07I.2": 0}
    body = put(filler, url, values).json()
    assert [w["check"] for w in body["warnings"]] == ["F1-W12"]
    assert body["readiness"] == {
        "ready": False,
        "empty": [],
        "errors": 0,
        "unexplained": ["F1-W12"],
    }
    body = put(filler, url, values, explanations={"F1-W12": "补贴以实物发放"}).json()
    assert body["explanations"] == {"F1-W12": "补贴以实物发放"}
    assert body["readiness"] == {"ready": True, "empty": [], "errors": 0, "unexplained": []}
    # explanations left out are kept
    assert put(filler, url, values).json()["explanations"] == {"F1-W12": "补贴以实物发放"}


def test_zeros_are_ready(filler, url):
    body = put(filler, url, zeros(F1)).json()
    assert body["errors"] == body["warnings"] == []
    assert body["readiness"] == {"ready": True, "empty": [], "errors": 0, "unexplained": []}


def test_header_round_trip(filler, url):
    header = {"filler_name": "张三", "filler_phone": "82000001", "fill_date": "2012-01-08"}
    assert put(filler, url, {}, header=header).json()["header"] == header
    partial = put(filler, url, {}, header={"filler_phone": "82000009"}).json()["header"]
    assert partial == {**header, "filler_phone": "82000009"}


BAD_VALUES = [
    pytest.param("F1", "01A", "十二", "不是数字", id="text-in-count"),
    pytest.param("F1", "01A", -1, "不能为负数", id="negative"),
    pytest.param("F1", "01A", 1.5, "整数", id="fraction-in-count"),
    pytest.param("F1", "01A", "2.5", "整数", id="fraction-text-in-count"),
    pytest.param("F1", "01A", True, "应填数字", id="boolean-in-count"),
    pytest.param("F1", "05A", 1.23456, "4 位小数", id="five-decimals-wan"),
    pytest.param("F1", "05A", "1.23456", "4 位小数", id="five-decimals-wan-text"),
    pytest.param("F1", "07I.2", 0.125, "2 位小数", id="three-decimals-yuan"),
    pytest.param("F1", "01A", 10**12, "数值过大", id="absurd-count"),
    pytest.param("F1", "05A", 1e20, "数值过大", id="absurd-wan"),
    pytest.param("F1", "01A", [1], "不是数字", id="list"),
    pytest.param("F1", "99Z", 1, "没有这个填报项", id="unknown-code"),
    pytest.param("F2", "05B", "也许", "不是“是”或“否”", id="bad-yes-no"),
]


@pytest.mark.parametrize("form, code, raw, says", BAD_VALUES)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(
    filler, report_url, form, code, raw, says
):
    url = report_url("210202", form)
    good = zeros(F1 if form == "F1" else F2)
    before = put(filler, url, {**good, "01A": 7}).json()
    response = put(filler, url, {**good, "01A": 8, code: raw})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_values"
    assert code in body["message"]
    assert len(body["details"]) == 1
    assert body["details"][0]["field"] == code
    assert says in body["details"][0]["message"]
    assert filler.get(url).json()["values"] == before["values"]
    assert before["values"]["01A"] == "7"


def test_every_bad_field_is_listed(filler, url):
    response = put(filler, url, {"01A": "x", "01A.2": -3, "05A": "1.00001", "02A": 4})
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["details"]] == ["01A", "01A.2", "05A"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"header": {"fill_date": "2012-13-45"}}, "fill_date"),
        ({"explanations": {"F1-01": "不是警告"}}, "F1-01"),
        ({"explanations": {"F1-W99": "没有这条"}}, "F1-W99"),
    ],
)
def test_bad_header_or_explanation_is_400(filler, url, extra, field):
    response = put(filler, url, zeros(F1), **extra)
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == field
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "values"),
        ([1, 2], "body"),
        ({"values": [1, 2]}, "values"),
        ({"values": {}, "explanations": {"F1-W01": 3}}, "explanations.F1-W01"),
        ({"values": {}, "header": "张三"}, "header"),
        ({"values": {}, "header": {"filler": "张三"}}, "header.filler"),
        ({"values": {}, "explanation": {}}, "explanation"),
    ],
)
def test_malformed_body_is_422(filler, url, body, field):
    response = filler.put(url, body, content_type="application/json")
    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == "invalid_request"
    assert answer["message"].startswith("请求内容格式不正确")
    assert field in [d["field"] for d in answer["details"]]


def test_invalid_json_is_400(filler, url):
    response = filler.put(url, "{values: 1", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_submitted_report_is_locked(filler, url):
    put(filler, url, zeros(F1))
    Report.objects.update(status="submitted")
    response = put(filler, url, {**zeros(F1), "01A": 5})
    assert response.status_code == 403
    assert response.json()["code"] == "locked"
    assert filler.get(url).json()["values"]["01A"] == "0"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/{cid}/reports/210202/F9",
        "/api/v1/campaigns/999999/reports/210202/F1",
        "/api/v1/campaigns/{cid}/reports/999999/F1",
    ],
)
def test_unknown_campaign_unit_or_form_is_404(fed, filler, path):
    response = filler.get(path.format(cid=fed.campaign.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
