"""The home page: a unit's own to-do list with statuses and return reasons, the reviewer's
queue, and the reminders sent to the unit."""

import pytest

from chunfeng.campaigns.services import reminder_send
from chunfeng.reports.workflow import report_approve, report_return
from tests.fixtures import ROLES, file_report

from .pages import section, table_rows, text


def home(login, user) -> str:
    response = login(user).get("/")
    assert response.status_code == 200
    return text(response)


def test_filler_sees_the_units_reports_with_status_and_return_reason(fed, login):
    report = file_report(fed, fed.zs)
    report_return(
        report=report, actor=fed.user("city", "reviewer"), reason="05A 与明细不符，请核对"
    )
    page = home(login, fed.user("zs", "filler"))
    todo = section(page, 'id="todo"')
    rows = table_rows(todo)
    assert [r[1] for r in rows] == ["附件1 送温暖工程统计表", "附件2 困难职工帮扶中心统计表"]
    assert all(r[0] == "2012年春风行动" for r in rows)
    f1, f2 = rows
    assert f1[3].startswith("已退回") and "退回原因：05A 与明细不符，请核对" in f1[3]
    assert f2[3] == "未开始" and "已逾期" in f2[2]  # the 2012 deadline is long past
    assert f"/campaigns/{fed.campaign.pk}/reports/210202/F1/" in todo
    assert ">填报</a>" in todo


def test_filed_reports_are_not_flagged_overdue(fed, login):
    report = file_report(fed, fed.zs)
    report_approve(report=report, actor=fed.user("city", "reviewer"))
    rows = table_rows(section(home(login, fed.user("zs", "viewer")), 'id="todo"'))
    assert rows[0][2] == "2012-01-08" and rows[0][3] == "已审核通过"
    assert "已逾期" in rows[1][2]
    assert ">查看</a>" in section(home(login, fed.user("zs", "viewer")), 'id="todo"')


def test_a_unit_that_reports_nothing_has_an_empty_list(fed, login):
    page = home(login, fed.user("city", "filler"))
    assert "本单位目前没有需要报送的报表。" in page
    assert "等待我审核的报表" not in page  # only reviewers have a queue


def test_reviewer_sees_only_the_reports_waiting_for_them(fed, login):
    fed.campaign.recipients.add(fed.zs_g1)
    file_report(fed, fed.zs)
    file_report(fed, fed.xg, form="F1")
    file_report(fed, fed.xg, form="F2", submit=False)  # a draft waits for nobody
    report_approve(report=file_report(fed, fed.industry), actor=fed.user("city", "reviewer"))
    file_report(fed, fed.zs_g1)  # reviewed by 中山区, not by the city
    queue = section(home(login, fed.user("city", "reviewer")), 'id="review-queue"')
    rows = table_rows(queue)
    assert sorted((r[1], r[2]) for r in rows) == [
        ("中山区总工会", "附件1 送温暖工程统计表"),
        ("西岗区总工会", "附件1 送温暖工程统计表"),
    ]
    assert f'href="/campaigns/{fed.campaign.pk}/reports/210202/F1/">审核</a>' in queue

    zs_queue = section(home(login, fed.user("zs", "reviewer")), 'id="review-queue"')
    assert [(r[1], r[2]) for r in table_rows(zs_queue)] == [
        ("青泥洼桥街道总工会", "附件1 送温暖工程统计表")
    ]  # its grassroots union, not its own report
    xg_queue = section(home(login, fed.user("xg", "reviewer")), 'id="review-queue"')
    assert "没有等待审核的报表。" in xg_queue


@pytest.mark.parametrize("role", ["filler", "admin", "viewer"])
def test_only_reviewers_have_a_queue(fed, login, role):
    file_report(fed, fed.zs)
    assert 'id="review-queue"' not in home(login, fed.user("city", role))


@pytest.mark.parametrize("role", ROLES)
def test_reminders_appear_on_the_home_page_of_the_reminded_unit(fed, login, role):
    reviewer = fed.user("city", "reviewer")
    reviewer.full_name = "王审核"
    reviewer.save()
    reminder_send(campaign=fed.campaign, actor=reviewer, units=[fed.xg], message="请于明日前报送")
    page = home(login, fed.user("xg", role))
    reminders = section(page, 'id="reminders"')
    assert "催报通知" in reminders and "王审核：请于明日前报送" in reminders
    for other in ("zs", "city", "ind"):
        assert 'id="reminders"' not in home(login, fed.user(other, role))


def test_default_reminder_names_the_campaign_and_deadline(fed, login):
    reminder_send(campaign=fed.campaign, actor=fed.user("city", "admin"), units=[fed.industry])
    reminders = section(home(login, fed.user("ind", "filler")), 'id="reminders"')
    assert "请尽快报送“2012年春风行动”的统计表和工作报告（截止日期 2012-01-08）。" in reminders


def test_home_needs_a_login(fed, client):
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]
