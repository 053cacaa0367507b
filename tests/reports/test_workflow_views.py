"""The review workflow through the web: the buttons on the report page (submit, approve,
return, reopen, fill from children), who may press them, what the page shows to whom, and the
work report upload and download."""

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.campaigns.models import WorkReport
from chunfeng.campaigns.selectors import reviewing_unit
from chunfeng.core.audit import audit_for
from chunfeng.core.models import AuditEvent
from chunfeng.reports.models import Report, ReportValue
from chunfeng.reports.models import ReportStatus as S
from chunfeng.reports.workflow import report_approve, report_return
from tests.fixtures import ROLES, attach_work_report, file_report


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(fed, unit="210202", form="F1", action=""):
    base = f"/campaigns/{fed.campaign.pk}/reports/{unit}/{form}/"
    return base + (f"{action}/" if action else "")


def text(response) -> str:
    return response.content.decode()


def status_of(unit="210202", form="F1") -> str:
    return Report.objects.get(unit__code=unit, campaign_form__code=form).status


def reviewer_of(fed, unit):
    return reviewing_unit(fed.campaign, unit).users.get(role="reviewer")


def make(fed, state, unit=None) -> Report:
    """``unit``'s F1 report (中山区 by default) brought to ``state`` through the services."""
    unit = unit or fed.zs
    filler = unit.users.get(role="filler")
    if state == "draft":
        attach_work_report(fed.campaign, unit, filler)
        return file_report(fed, unit, submit=False)
    report = file_report(fed, unit)
    if state == "approved":
        report = report_approve(report=report, actor=reviewer_of(fed, unit))
    elif state == "returned":
        report = report_return(report=report, actor=reviewer_of(fed, unit), reason="05A 与明细不符")
    assert report.status == state
    return report


def messages_in(page: str) -> list[tuple[str, str]]:
    """(level, text) of the flash messages at the top of a page."""
    block = re.search(r'<ul class="messages">(.*?)</ul>', page, re.S)
    return re.findall(r'<li class="(\w+)">(.*?)</li>', block.group(1), re.S) if block else []


def history_of(page: str) -> str:
    start = page.index("修改记录")
    return page[start : page.index("</section>", start)]


def form_actions(page: str) -> set[str]:
    return set(re.findall(r'action="/campaigns/\d+/reports/[^/]+/[^/]+/([\w-]+)/"', page))


USERS = [(unit, role) for unit in ("city", "zs", "xg", "zsg", "ind") for role in ROLES]
START = {"submit": "draft", "approve": "submitted", "return": "submitted", "reopen": "approved"}
ALLOWED = {"submit": ("zs", "filler"), "approve": ("city", "reviewer"),
           "return": ("city", "reviewer"), "reopen": ("city", "reviewer")}  # fmt: skip
REFUSED = [(action, who) for action in START for who in USERS if who != ALLOWED[action]]


# --- the buttons: who may press them --------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "start", "end", "done"),
    [
        ("submit", "draft", S.SUBMITTED, "已报送，等待上级审核。"),
        ("submit", "returned", S.SUBMITTED, "已报送，等待上级审核。"),
        ("approve", "submitted", S.APPROVED, "已审核通过，数据已锁定。"),
        ("return", "submitted", S.RETURNED, "已退回填报单位。"),
        ("reopen", "approved", S.RETURNED, "已重新打开，填报单位可以修改。"),
    ],
)
def test_the_right_role_moves_the_report_and_comes_back(fed, login, action, start, end, done):
    make(fed, start)
    who = login(fed.user(*ALLOWED[action]))
    response = who.post(url(fed, action=action), {"reason": "请核对 05A"}, follow=True)
    assert response.redirect_chain == [(url(fed), 302)]
    assert status_of() == end
    assert ("success", done) in messages_in(text(response))
    assert f'id="report-status">{S(end).label}</span>' in text(response)
    event = audit_for(Report.objects.get(unit=fed.zs, campaign_form__code="F1")).first()
    assert event.action == f"report.{action}" and event.details["new"] == end


@pytest.mark.parametrize(("action", "who"), REFUSED, ids=[f"{a}-{u}_{r}" for a, (u, r) in REFUSED])
def test_everyone_else_gets_403_or_404_outside_their_subtree(fed, login, action, who):
    make(fed, START[action])
    client = login(fed.user(*who))  # first: a login is in the history too
    events = AuditEvent.objects.count()
    response = client.post(url(fed, action=action), {"reason": "请核对"})
    # the city and 中山区 itself can see 中山区's report; 西岗区, the industry union and the
    # grassroots union below 中山区 cannot
    assert response.status_code == (403 if who[0] in ("city", "zs") else 404)
    assert status_of() == START[action]
    assert AuditEvent.objects.count() == events


def test_grassroots_unit_is_reviewed_by_its_district_not_the_city(fed, login):
    fed.campaign.recipients.add(fed.zs_g1)
    make(fed, "submitted", fed.zs_g1)
    g1 = url(fed, unit="210202001", action="approve")
    assert login(fed.user("city", "reviewer")).post(g1).status_code == 403
    assert status_of("210202001") == S.SUBMITTED
    response = login(fed.user("zs", "reviewer")).post(g1, follow=True)
    assert ("success", "已审核通过，数据已锁定。") in messages_in(text(response))
    assert status_of("210202001") == S.APPROVED


@pytest.mark.parametrize(
    ("action", "start", "words"),
    [
        ("approve", "draft", "报表当前状态为“草稿”，不能审核通过"),
        ("return", "draft", "报表当前状态为“草稿”，不能退回"),
        ("reopen", "draft", "报表当前状态为“草稿”，不能重新打开"),
        ("reopen", "submitted", "报表当前状态为“已报送”，不能重新打开"),
        ("approve", "returned", "报表当前状态为“已退回”，不能审核通过"),
        ("approve", "approved", "报表当前状态为“已审核通过”，不能审核通过"),
        ("return", "approved", "报表当前状态为“已审核通过”，不能退回"),
        ("submit", "submitted", "报表当前状态为“已报送”，不能报送"),
        ("submit", "approved", "报表当前状态为“已审核通过”，不能报送"),
    ],
)
def test_wrong_state_gives_an_error_message_and_no_change(fed, login, action, start, words):
    make(fed, start)
    client = login(fed.user(*ALLOWED[action]))  # first: a login is in the history too
    events = AuditEvent.objects.count()
    response = client.post(url(fed, action=action), {"reason": "请核对"}, follow=True)
    assert response.redirect_chain == [(url(fed), 302)]
    assert ("error", words) in messages_in(text(response))
    assert status_of() == start
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("action", ["submit", "approve", "return", "reopen"])
def test_a_report_not_started_cannot_be_moved(fed, login, action):
    response = login(fed.user(*ALLOWED[action])).post(url(fed, action=action))
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_unknown_action_and_get_are_refused(fed, login):
    make(fed, "submitted")
    client = login(fed.user("city", "reviewer"))
    assert client.post(url(fed, action="delete")).status_code == 404
    assert client.get(url(fed, action="approve")).status_code == 405
    assert status_of() == S.SUBMITTED


def test_anonymous_is_sent_to_login(fed, client):
    make(fed, "submitted")
    response = client.post(url(fed, action="approve"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert status_of() == S.SUBMITTED


@pytest.mark.parametrize(("action", "start"), [("return", "submitted"), ("reopen", "approved")])
@pytest.mark.parametrize(
    "data", [{}, {"reason": ""}, {"reason": "   "}], ids=["none", "empty", "blank"]
)
def test_return_and_reopen_need_a_reason(fed, login, action, start, data):
    make(fed, start)
    response = login(fed.user("city", "reviewer")).post(url(fed, action=action), data, follow=True)
    assert ("error", "请填写原因") in messages_in(text(response))
    assert status_of() == start


def test_transitions_mail_the_other_side_after_commit(
    fed, login, mailoutbox, django_capture_on_commit_callbacks
):
    for key in ("zs_filler", "city_reviewer", "xg_filler"):
        fed.users[key].email = f"{key}@example.cn"
        fed.users[key].save()
    make(fed, "draft")
    with django_capture_on_commit_callbacks(execute=True):
        login(fed.user("zs", "filler")).post(url(fed, action="submit"))
    assert [m.to for m in mailoutbox] == [["city_reviewer@example.cn"]]
    assert mailoutbox[0].subject == "【春风】中山区总工会已报送送温暖工程统计表"
    with django_capture_on_commit_callbacks(execute=True):
        login(fed.user("city", "reviewer")).post(
            url(fed, action="return"), {"reason": "请核对 05A"}
        )
    assert mailoutbox[1].to == ["zs_filler@example.cn"]
    assert mailoutbox[1].subject == "【春风】中山区总工会的送温暖工程统计表被退回"
    assert "原因：请核对 05A" in mailoutbox[1].body


# --- what the report page shows -------------------------------------------------------------


def test_filler_sees_why_the_report_was_returned_and_reopened(fed, login):
    report = make(fed, "returned")
    filler = login(fed.user("zs", "filler"))
    page = text(filler.get(url(fed)))
    assert "退回原因：</strong>05A 与明细不符" in page
    assert "submit" in form_actions(page)
    filler.post(url(fed, action="submit"))
    page = text(filler.get(url(fed)))
    assert "退回原因" not in page  # resubmitted: the reason is gone
    reviewer = login(fed.user("city", "reviewer"))
    reviewer.post(url(fed, action="approve"))
    reviewer.post(url(fed, action="reopen"), {"reason": "发现 07D 有误"})
    report.refresh_from_db()
    assert report.status == S.RETURNED
    assert "退回原因：</strong>发现 07D 有误" in text(filler.get(url(fed)))


def test_submit_button_disabled_with_the_problems_listed(fed, login):
    file_report(fed, fed.zs, submit=False, values={"01A": ""})
    filler = login(fed.user("zs", "filler"))
    page = text(filler.get(url(fed)))
    button = re.search(r'<button type="submit" class="primary"([^>]*)>报送</button>', page)
    assert button and "disabled" in button.group(1)
    assert "还有 1 个空未填（没有数据请填 0）：01A" in button.group(1)
    assert "报送前还需要：" in page and "请先上传本单位的工作报告" in page
    response = filler.post(url(fed, action="submit"), follow=True)
    [(level, message)] = messages_in(text(response))
    assert level == "error" and message.startswith("不能报送：") and "01A" in message
    assert status_of() == S.DRAFT
    # once complete and with a work report, the button is live
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    file_report(fed, fed.zs, submit=False)
    page = text(filler.get(url(fed)))
    button = re.search(r'<button type="submit" class="primary"([^>]*)>报送</button>', page)
    assert button and "disabled" not in button.group(1) and "报送前还需要" not in page


@pytest.mark.parametrize("who", USERS[:8], ids="_".join)  # everyone at the city and 中山区
def test_review_forms_only_for_the_reviewer_of_the_unit_above(fed, login, who):
    make(fed, "submitted")
    page = text(login(fed.user(*who)).get(url(fed)))
    expected = {"approve", "return"} if who == ("city", "reviewer") else set()
    assert form_actions(page) & {"approve", "return", "reopen"} == expected
    assert ("submit" in form_actions(page)) is False  # submitted: nobody can submit again
    report_approve(report=Report.objects.get(), actor=fed.user("city", "reviewer"))
    page = text(login(fed.user(*who)).get(url(fed)))
    expected = {"reopen"} if who == ("city", "reviewer") else set()
    assert form_actions(page) & {"approve", "return", "reopen"} == expected


def test_review_forms_of_a_grassroots_unit_go_to_its_district(fed, login):
    fed.campaign.recipients.add(fed.zs_g1)
    make(fed, "submitted", fed.zs_g1)
    g1 = url(fed, unit="210202001")
    zs_page = text(login(fed.user("zs", "reviewer")).get(g1))
    assert {"approve", "return"} <= form_actions(zs_page)
    city_page = text(login(fed.user("city", "reviewer")).get(g1))
    assert not form_actions(city_page) & {"approve", "return", "reopen"}


def test_submit_form_only_for_the_units_filler(fed, login):
    make(fed, "draft")
    for who in USERS[:8]:
        page = text(login(fed.user(*who)).get(url(fed)))
        assert ("submit" in form_actions(page)) == (who == ("zs", "filler")), who


def test_history_shows_old_and_new_values_and_each_transition(fed, login):
    file_report(fed, fed.zs, submit=False, values={"01A": 5})
    file_report(fed, fed.zs, submit=False, values={"01A": 7})
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    login(fed.user("zs", "filler")).post(url(fed, action="submit"))
    login(fed.user("city", "reviewer")).post(url(fed, action="return"), {"reason": "数字有误"})
    history = history_of(text(login(fed.user("zs", "viewer")).get(url(fed))))
    assert "01A: （空） → 5" in history and "01A: 5 → 7" in history
    assert "数字有误" in history
    rows = re.findall(r"<tr><td>.*?</tr>", history, re.S)
    assert len(rows) == 4  # two saves, the submission and the return
    assert "city_reviewer" in rows[0] and "zs_filler" in rows[1]


def test_history_names_transitions_in_chinese_with_old_and_new_status(fed, login):
    make(fed, "submitted")
    login(fed.user("city", "reviewer")).post(url(fed, action="return"), {"reason": "数字有误"})
    history = history_of(text(login(fed.user("zs", "filler")).get(url(fed))))
    assert "report." not in history
    assert "已报送 → 已退回" in history


# --- fill from the units below ----------------------------------------------------------------


def _grassroots_approved(fed, login):
    fed.campaign.recipients.add(fed.zs_g1)
    file_report(fed, fed.zs_g1, values={"01A": 120, "01A.2": 30})
    login(fed.user("zs", "reviewer")).post(url(fed, unit="210202001", action="approve"))
    assert status_of("210202001") == S.APPROVED


def test_district_filler_fills_its_report_from_the_grassroots(fed, login):
    _grassroots_approved(fed, login)
    filler = login(fed.user("zs", "filler"))
    assert "fill" in form_actions(text(filler.get(url(fed))))
    response = filler.post(url(fed, action="fill"), {"include": "approved"}, follow=True)
    assert ("success", "已按 1 个下级单位的报表汇总填入，请核对后保存或报送。") in messages_in(
        text(response)
    )
    values = dict(ReportValue.objects.filter(report__unit=fed.zs).values_list("code", "value"))
    assert values["01A"] == 120 and values["01A.2"] == 30
    assert status_of() == S.DRAFT


@pytest.mark.parametrize(
    "who",
    [
        ("zs", "reviewer"),
        ("zs", "admin"),
        ("zs", "viewer"),
        ("city", "filler"),
        ("city", "reviewer"),
    ],
)
def test_only_the_units_filler_may_fill_from_children(fed, login, who):
    _grassroots_approved(fed, login)
    response = login(fed.user(*who)).post(url(fed, action="fill"), {"include": "approved"})
    assert response.status_code == 403
    assert not Report.objects.filter(unit=fed.zs).exists()


def test_fill_with_nothing_to_sum_says_so(fed, login):
    fed.campaign.recipients.add(fed.zs_g1)
    response = login(fed.user("zs", "filler")).post(url(fed, action="fill"), follow=True)
    assert ("error", "中山区总工会下级单位还没有审核通过的报表，无法汇总") in messages_in(
        text(response)
    )
    assert not Report.objects.filter(unit=fed.zs).exists()


def test_fill_by_a_non_filler_is_403_even_with_nothing_to_sum(fed, login):
    fed.campaign.recipients.add(fed.zs_g1)
    response = login(fed.user("zs", "reviewer")).post(url(fed, action="fill"))
    assert response.status_code == 403


def test_fill_with_an_unknown_include_is_refused_not_a_crash(fed, login):
    _grassroots_approved(fed, login)
    client = login(fed.user("zs", "filler"))
    client.raise_request_exception = False
    response = client.post(url(fed, action="fill"), {"include": "everything"})
    assert response.status_code in (302, 400, 404)
    assert not Report.objects.filter(unit=fed.zs).exists()


# --- work report ------------------------------------------------------------------------------


def upload(name: str, content: bytes = b"%PDF-1.4 report") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "name", ["工作报告.pdf", "工作报告.docx", "工作报告.wps", "工作报告.doc", "REPORT.PDF"]
)
def test_filler_uploads_the_work_report(fed, login, name):
    client = login(fed.user("zs", "filler"))
    response = client.post(url(fed, action="work-report"), {"file": upload(name)}, follow=True)
    assert response.redirect_chain == [(url(fed), 302)]
    assert ("success", f"工作报告“{name}”已上传。") in messages_in(text(response))
    report = WorkReport.objects.get(campaign=fed.campaign, unit=fed.zs)
    assert report.original_name == name and report.uploaded_by == fed.user("zs", "filler")
    assert report.file.read() == b"%PDF-1.4 report"
    assert f">{name}</a>" in text(response)


@pytest.mark.parametrize(
    "name", ["工作报告.txt", "工作报告.exe", "工作报告.pdf.zip", "工作报告", "报告.xlsx"]
)
def test_other_file_types_are_refused_naming_the_file(fed, login, name):
    client = login(fed.user("zs", "filler"))
    response = client.post(url(fed, action="work-report"), {"file": upload(name)}, follow=True)
    [(level, message)] = messages_in(text(response))
    assert level == "error"
    assert message == f"工作报告“{name}”的格式不支持，请上传 .doc、.docx、.pdf、.wps 文件"
    assert not WorkReport.objects.exists()


def test_upload_without_a_file_says_so(fed, login):
    response = login(fed.user("zs", "filler")).post(url(fed, action="work-report"), follow=True)
    assert ("error", "请选择要上传的工作报告文件") in messages_in(text(response))


def test_a_new_upload_replaces_the_old_file(fed, login):
    client = login(fed.user("zs", "filler"))
    client.post(url(fed, action="work-report"), {"file": upload("初稿.pdf", b"old")})
    old_path = WorkReport.objects.get().file.path
    client.post(url(fed, action="work-report"), {"file": upload("定稿.docx", b"new")})
    report = WorkReport.objects.get()
    assert report.original_name == "定稿.docx" and report.file.read() == b"new"
    assert not os.path.exists(old_path)


@pytest.mark.parametrize("who", [w for w in USERS if w != ("zs", "filler")], ids="_".join)
def test_only_the_units_filler_may_upload(fed, login, who):
    response = login(fed.user(*who)).post(
        url(fed, action="work-report"), {"file": upload("工作报告.pdf")}
    )
    assert response.status_code == (403 if who[0] in ("city", "zs") else 404)
    assert not WorkReport.objects.exists()


@pytest.mark.parametrize("who", USERS, ids="_".join)
def test_download_for_those_who_see_the_unit(fed, login, who):
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    response = login(fed.user(*who)).get(url(fed, action="work-report/file"))
    if who[0] in ("city", "zs"):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
        assert response["Content-Disposition"].startswith("attachment")
        assert "%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.pdf" in response["Content-Disposition"]
    else:
        assert response.status_code == 404


def test_download_before_any_upload_is_404(fed, login):
    assert (
        login(fed.user("zs", "filler")).get(url(fed, action="work-report/file")).status_code == 404
    )


def test_work_report_cannot_be_swapped_after_approval(fed, login):
    for form in ("F1", "F2"):
        report_approve(report=file_report(fed, fed.zs, form), actor=fed.user("city", "reviewer"))
    client = login(fed.user("zs", "filler"))
    for form in ("F1", "F2"):  # no page offers the upload any more
        assert "work-report" not in form_actions(text(client.get(url(fed, form=form))))
        assert 'enctype="multipart/form-data"' not in text(client.get(url(fed, form=form)))
    client.post(url(fed, action="work-report"), {"file": upload("另一份.pdf", b"other")})
    report = WorkReport.objects.get()
    assert report.original_name == "工作报告.pdf" and report.file.read() == b"%PDF-1.4 test"


# --- error pages ------------------------------------------------------------------------------


def test_refusal_page_is_chinese_and_says_why(fed, login):
    make(fed, "submitted")
    response = login(fed.user("zs", "reviewer")).post(url(fed, action="approve"))
    assert response.status_code == 403
    page = text(response)
    assert "403 · 没有权限" in page and "Forbidden" not in page
    assert "只有负责审核中山区总工会的上级单位审核员可以执行此操作" in page


def test_not_found_page_is_chinese(fed, login):
    response = login(fed.user("xg", "reviewer")).get(url(fed))
    assert response.status_code == 404
    page = text(response)
    assert "404 · 找不到页面" in page and "Not Found" not in page
    assert "没有代码为 210202 的单位，或不在您的管辖范围内" in page
