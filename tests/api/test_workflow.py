"""POST …/reports/{unit}/{form}/submit|approve|return|reopen: every transition through the API,
allowed and refused per role and unit, the wrong states (409) and a whole cycle."""

import pytest

from chunfeng.core.audit import audit_for
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from chunfeng.reports.models import ReportStatus as S
from tests.fixtures import attach_work_report, file_report, zeros

F1 = latest_builtin("F1")


def act(client, url: str, action: str, body: dict | None = None):
    return client.post(f"{url}/{action}", body or {}, content_type="application/json")


def status_of(unit) -> str:
    return Report.objects.get(unit=unit, campaign_form__code="F1").status


@pytest.fixture
def draft(fed):
    """210202's F1, complete and with its work report, not yet submitted."""
    report = file_report(fed, fed.zs, submit=False)
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    return report


@pytest.fixture
def submitted(fed):
    return file_report(fed, fed.zs)


# --- submit -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, role, status",
    [
        ("zs", "filler", 200),
        ("zs", "reviewer", 403),
        ("zs", "admin", 403),
        ("zs", "viewer", 403),
        ("city", "filler", 403),  # sees the unit, but fills only its own
        ("city", "reviewer", 403),
        ("city", "admin", 403),
        ("xg", "filler", 404),  # another district
        ("ind", "filler", 404),
        ("zsg", "filler", 404),  # below 中山区: cannot see it
    ],
)
def test_submit(fed, client_as, report_url, draft, key, role, status):
    response = act(client_as(key, role), report_url("210202", "F1"), "submit")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["status"] == "submitted"
        assert body["unit"] == "210202" and body["form"] == "F1"
        assert body["values"]["01A"] == "0"
        assert status_of(fed.zs) == S.SUBMITTED
    else:
        assert response.json()["code"] == ("forbidden" if status == 403 else "not_found")
        assert status_of(fed.zs) == S.DRAFT


@pytest.mark.parametrize("unit, key", [("210203", "xg"), ("2102C01", "ind")])
def test_every_unit_submits_its_own(fed, client_as, report_url, unit, key):
    target = fed.xg if key == "xg" else fed.industry
    file_report(fed, target, submit=False)
    attach_work_report(fed.campaign, target, fed.user(key, "filler"))
    response = act(client_as(key, "filler"), report_url(unit, "F1"), "submit")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_submit_answers_the_report_as_get_does(client_as, report_url, draft):
    client = client_as("zs", "filler")
    url = report_url("210202", "F1")
    answer = act(client, url, "submit").json()
    assert answer == client.get(url).json()
    assert "readiness" not in answer


def test_not_started_is_404(fed, client_as, report_url):
    url = report_url("210202", "F2")
    for key, role, action in (("zs", "filler", "submit"), ("city", "reviewer", "approve")):
        response = act(client_as(key, role), url, action)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "values, work_report, says",
    [
        pytest.param({"01A": ""}, True, "01A", id="empty-blank"),
        pytest.param({"01A": 1, "01A.2": 2}, True, "审核错误", id="check-error"),
        pytest.param({"07I": 5, "07I.2": 0}, True, "F1-W12", id="unexplained-warning"),
        pytest.param({}, False, "工作报告", id="no-work-report"),
    ],
)
def test_submit_refused_until_ready(fed, client_as, report_url, values, work_report, says):
    file_report(fed, fed.zs, values=values, submit=False)
    if work_report:
        attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    response = act(client_as("zs", "filler"), report_url("210202", "F1"), "submit")
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "not_ready"
    assert says in answer["message"]
    assert len(answer["details"]) == 1
    assert answer["details"][0]["field"] == "report"
    assert says in answer["details"][0]["message"]
    assert status_of(fed.zs) == S.DRAFT


def test_every_problem_is_listed(fed, client_as, report_url):
    file_report(fed, fed.zs, values={"01A": 1, "01A.2": 2, "02A": ""}, submit=False)
    response = act(client_as("zs", "filler"), report_url("210202", "F1"), "submit")
    assert response.status_code == 400
    messages = [d["message"] for d in response.json()["details"]]
    assert len(messages) == 3
    assert "02A" in messages[0] and "审核错误" in messages[1] and "工作报告" in messages[2]


def test_explained_warning_may_be_submitted(fed, client_as, report_url):
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    client, url = client_as("zs", "filler"), report_url("210202", "F1")
    values = {**zeros(F1), "07I": 5, "07I.2": 0}
    explanations = {"F1-W12": "补贴以实物发放"}
    saved = client.put(
        url, {"values": values, "explanations": explanations}, content_type="application/json"
    )
    assert saved.status_code == 200
    response = act(client, url, "submit")
    assert response.status_code == 200
    assert response.json()["explanations"] == explanations


# --- approve, return, reopen ---------------------------------------------------------------

REVIEW = [
    ("city", "reviewer", "210202", 200),
    ("city", "reviewer", "210203", 200),
    ("city", "reviewer", "2102C01", 200),
    ("zs", "reviewer", "210202", 403),  # nobody reviews their own unit's report
    ("xg", "reviewer", "210203", 403),
    ("ind", "reviewer", "2102C01", 403),
    ("city", "admin", "210202", 403),
    ("city", "viewer", "210202", 403),
    ("city", "filler", "210202", 403),
    ("zs", "filler", "210202", 403),
    ("zs", "admin", "210202", 403),
    ("xg", "reviewer", "210202", 404),  # another district
    ("ind", "reviewer", "210203", 404),
    ("zsg", "reviewer", "210202", 404),
]
UNITS = {"210202": ("zs", "zs"), "210203": ("xg", "xg"), "2102C01": ("industry", "ind")}


def _file(fed, unit_code: str):
    return file_report(fed, getattr(fed, UNITS[unit_code][0]))


@pytest.mark.parametrize("key, role, unit, status", REVIEW)
def test_approve(fed, client_as, report_url, key, role, unit, status):
    report = _file(fed, unit)
    response = act(client_as(key, role), report_url(unit, "F1"), "approve")
    assert response.status_code == status
    report.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "approved"
        assert report.status == S.APPROVED and report.approved_at is not None
    else:
        assert response.json()["code"] == ("forbidden" if status == 403 else "not_found")
        assert report.status == S.SUBMITTED


@pytest.mark.parametrize("key, role, unit, status", REVIEW)
def test_return(fed, client_as, report_url, key, role, unit, status):
    report = _file(fed, unit)
    response = act(client_as(key, role), report_url(unit, "F1"), "return", {"reason": "请核实"})
    assert response.status_code == status
    report.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "returned"
        assert report.status == S.RETURNED and report.return_reason == "请核实"
    else:
        assert report.status == S.SUBMITTED and report.return_reason == ""


@pytest.mark.parametrize("key, role, unit, status", REVIEW)
def test_reopen(fed, client_as, report_url, key, role, unit, status):
    report = _file(fed, unit)
    reviewer = client_as("city", "reviewer")
    assert act(reviewer, report_url(unit, "F1"), "approve").status_code == 200
    response = act(client_as(key, role), report_url(unit, "F1"), "reopen", {"reason": "有误"})
    assert response.status_code == status
    report.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "returned"
        assert report.status == S.RETURNED and report.approved_at is None
    else:
        assert report.status == S.APPROVED


@pytest.mark.parametrize(
    "key, role, status",
    [
        ("zs", "reviewer", 200),
        ("city", "reviewer", 403),
        ("zsg", "reviewer", 403),
        ("zsg", "filler", 403),
        ("xg", "reviewer", 404),
    ],
)
def test_a_district_reviews_its_grassroots_union(fed, client_as, report_url, key, role, status):
    """When 210202001 reports in the campaign too, 中山区 (not the city) reviews it."""
    fed.campaign.recipients.add(fed.zs_g1)
    file_report(fed, fed.zs_g1)
    response = act(client_as(key, role), report_url("210202001", "F1"), "approve")
    assert response.status_code == status
    assert status_of(fed.zs_g1) == (S.APPROVED if status == 200 else S.SUBMITTED)


def test_approve_with_a_comment(fed, client_as, report_url, submitted):
    response = act(
        client_as("city", "reviewer"), report_url("210202", "F1"), "approve", {"reason": "数据齐全"}
    )
    assert response.status_code == 200
    event = next(e for e in audit_for(submitted) if e.action == "report.approve")
    assert event.details["reason"] == "数据齐全"
    assert event.actor == fed.user("city", "reviewer")


def test_approve_without_a_body(client_as, report_url, submitted):
    client = client_as("city", "reviewer")
    response = client.post(f"{report_url('210202', 'F1')}/approve", content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


@pytest.mark.parametrize("action", ["return", "reopen"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_blank_reason_is_400(fed, client_as, report_url, submitted, action, reason):
    url, client = report_url("210202", "F1"), client_as("city", "reviewer")
    if action == "reopen":
        act(client, url, "approve")
    before = status_of(fed.zs)
    response = act(client, url, action, {"reason": reason})
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "reason_required"
    assert answer["details"] == [{"field": "reason", "message": "请填写原因"}]
    assert status_of(fed.zs) == before


@pytest.mark.parametrize("action", ["return", "reopen"])
@pytest.mark.parametrize("body", [{}, {"reason": None}, {"reason": "x", "extra": 1}])
def test_reason_of_the_wrong_shape_is_422(client_as, report_url, submitted, action, body):
    response = act(client_as("city", "reviewer"), report_url("210202", "F1"), action, body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


# --- wrong states -----------------------------------------------------------------------------

WRONG_STATES = [
    # (current status, who acts, action, says)
    ("submitted", ("zs", "filler"), "submit", "不能报送"),
    ("approved", ("zs", "filler"), "submit", "不能报送"),
    ("draft", ("city", "reviewer"), "approve", "不能审核通过"),
    ("returned", ("city", "reviewer"), "approve", "不能审核通过"),
    ("approved", ("city", "reviewer"), "approve", "不能审核通过"),
    ("draft", ("city", "reviewer"), "return", "不能退回"),
    ("returned", ("city", "reviewer"), "return", "不能退回"),
    ("approved", ("city", "reviewer"), "return", "不能退回"),
    ("draft", ("city", "reviewer"), "reopen", "不能重新打开"),
    ("submitted", ("city", "reviewer"), "reopen", "不能重新打开"),
    ("returned", ("city", "reviewer"), "reopen", "不能重新打开"),
]


@pytest.mark.parametrize("current, who, action, says", WRONG_STATES)
def test_wrong_state_is_409(fed, client_as, report_url, draft, current, who, action, says):
    Report.objects.filter(pk=draft.pk).update(status=current)
    response = act(client_as(*who), report_url("210202", "F1"), action, {"reason": "原因"})
    assert response.status_code == 409
    answer = response.json()
    assert answer["code"] == "bad_status"
    assert says in answer["message"]
    assert status_of(fed.zs) == current


def test_role_is_checked_before_state(client_as, report_url, draft):
    """A filler approving a draft learns that they may not approve, not the report's state."""
    response = act(client_as("zs", "filler"), report_url("210202", "F1"), "approve")
    assert response.status_code == 403


# --- the whole cycle --------------------------------------------------------------------------


def test_full_cycle(fed, client_as, report_url):
    filler, reviewer = client_as("zs", "filler"), client_as("city", "reviewer")
    url = report_url("210202", "F1")

    def put(values):
        return filler.put(url, {"values": values}, content_type="application/json")

    assert put({**zeros(F1), "01A": 10}).json()["status"] == "draft"
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    assert act(filler, url, "submit").json()["status"] == "submitted"
    first = Report.objects.get().first_submitted_at
    assert put(zeros(F1)).status_code == 403  # locked while submitted

    returned = act(reviewer, url, "return", {"reason": "01A 与台账不符"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert Report.objects.get().return_reason == "01A 与台账不符"
    assert act(reviewer, url, "approve").status_code == 409

    assert put({**zeros(F1), "01A": 12}).json()["status"] == "returned"
    resubmitted = act(filler, url, "submit")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "submitted"
    assert resubmitted.json()["values"]["01A"] == "12"
    report = Report.objects.get()
    assert report.first_submitted_at == first and report.return_reason == ""

    approved = act(reviewer, url, "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert put(zeros(F1)).status_code == 403  # approved data are locked
    assert act(filler, url, "submit").status_code == 409

    reopened = act(reviewer, url, "reopen", {"reason": "发现 07D 有误"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "returned"
    report.refresh_from_db()
    assert report.approved_at is None and report.return_reason == "发现 07D 有误"
    assert put({**zeros(F1), "01A": 12, "07D": 1}).status_code == 200

    actions = [e.action for e in audit_for(report)]
    for action in ("report.submit", "report.return", "report.approve", "report.reopen"):
        assert action in actions
    assert client_as("zs", "viewer").get(url).json()["status"] == "returned"


def test_a_post_with_no_body_at_all(fed, client_as, report_url):
    """The comment is optional: a POST with no body at all approves (it was refused as bad
    JSON); a transition whose body is required is refused as incomplete (422), not unreadable."""
    _file(fed, "210202")
    reviewer = client_as("city", "reviewer")
    approved = reviewer.generic("POST", f"{report_url('210202', 'F1')}/approve")  # curl -X POST
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    _file(fed, "210203")
    refused = reviewer.generic("POST", f"{report_url('210203', 'F1')}/return")
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_request" and refused.json()["details"]
