"""The completeness page (报送情况): statuses, on time or late, the overdue units with their
contacts, reporting and timeliness rates per level, and 催报 to every overdue unit at once."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chunfeng.accounts.services import user_create
from chunfeng.campaigns.models import Reminder
from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.services import orgunit_create, orgunit_retire
from chunfeng.reports.models import Report
from chunfeng.reports.workflow import report_return
from tests.fixtures import ROLES, file_report

from .pages import messages_in, section, table_rows, text

SHANGHAI = ZoneInfo("Asia/Shanghai")
ON_TIME = dt.datetime(2012, 1, 8, 23, 0, tzinfo=SHANGHAI)  # the last evening of the deadline
LATE = dt.datetime(2012, 1, 8, 16, 30, tzinfo=dt.UTC)  # 2012-01-09 00:30 in 大连


def page_url(fed, unit: str | None = None) -> str:
    url = f"/campaigns/{fed.campaign.pk}/completeness/"
    return url + (f"?unit={unit}" if unit else "")


def submitted_at(unit, form, when):
    Report.objects.filter(unit=unit, campaign_form__code=form).update(
        first_submitted_at=when, submitted_at=when
    )


def rates(page: str) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in table_rows(section(page, 'id="rates"'))}


def details(page: str) -> dict[tuple[str, str], list[str]]:
    return {(r[0], r[1]): r[2:] for r in table_rows(section(page, 'id="completeness"'))}


F1 = "附件1 送温暖工程统计表"
F2 = "附件2 困难职工帮扶中心统计表"
BOTH = f"{F1}；{F2}"


def overdue(page: str) -> list[list[str]]:
    """Unit, contact person, phone and the forms missing (the deadline column left out)."""
    return [row[:4] for row in table_rows(section(page, 'id="overdue"'))]


def assert_rates_sane(page: str):
    for level, (expected, filed, on_time, filing, timely) in rates(page).items():
        assert int(filed) <= int(expected) and int(on_time) <= int(expected), level
        for pct in (filing, timely):
            assert pct == "—%" or Decimal(pct.rstrip("%")) <= 100, level


@pytest.fixture
def filed(fed):
    """中山区 filed both forms on time; 西岗区 filed 附件1 late and not 附件2; the industry
    union filed nothing."""
    file_report(fed, fed.zs, "F1")
    file_report(fed, fed.zs, "F2")
    file_report(fed, fed.xg, "F1")
    submitted_at(fed.zs, "F1", ON_TIME)
    submitted_at(fed.zs, "F2", ON_TIME)
    submitted_at(fed.xg, "F1", LATE)
    return fed


def test_statuses_on_time_and_late(filed, login):
    page = text(login(filed.user("city", "viewer")).get(page_url(filed)))
    rows = details(page)
    assert rows[("中山区总工会", "附件1")] == ["已报送", "2012-01-08 23:00", "按时"]
    assert rows[("西岗区总工会", "附件1")] == ["已报送", "2012-01-09 00:30", "迟报"]
    assert rows[("西岗区总工会", "附件2")] == ["未开始", "—", "逾期未报"]
    assert rows[("大连市机械冶金工会", "附件1")] == ["未开始", "—", "逾期未报"]
    assert len(rows) == 6


def test_rates_per_level(filed, login):
    page = text(login(filed.user("city", "reviewer")).get(page_url(filed)))
    assert rates(page) == {
        "区市县总工会": ["4", "3", "2", "75.0%", "50.0%"],
        "产业工会": ["2", "0", "0", "0.0%", "0.0%"],
        "合计": ["6", "3", "2", "50.0%", "33.3%"],
    }


def test_overdue_list_with_contact_person_and_phone(filed, login):
    page = text(login(filed.user("city", "viewer")).get(page_url(filed)))
    assert overdue(page) == [
        ["西岗区总工会（210203）", "李四", "82000002", F2],  # the form it is missing
        ["大连市机械冶金工会（2102C01）", "", "", BOTH],
    ]


def test_a_draft_is_not_filed(fed, login):
    file_report(fed, fed.zs, submit=False)
    page = text(login(fed.user("city", "viewer")).get(page_url(fed)))
    assert details(page)[("中山区总工会", "附件1")] == ["草稿", "—", "逾期未报"]
    assert ["中山区总工会（210202）", "张三", "82000001", BOTH] in overdue(page)
    assert rates(page)["合计"][:3] == ["6", "0", "0"]


def test_nothing_is_overdue_before_the_deadline(fed, login):
    type(fed.campaign).objects.filter(pk=fed.campaign.pk).update(deadline=dt.date(2999, 1, 1))
    page = text(login(fed.user("city", "reviewer")).get(page_url(fed)))
    assert "没有逾期未报的单位。" in page and "向全部逾期单位催报" not in page
    assert details(page)[("西岗区总工会", "附件1")] == ["未开始", "—", "—"]


def test_unit_retired_before_the_deadline_is_not_expected(filed, login):
    file_report(filed, filed.industry, "F1")  # filed, then the union was dissolved
    orgunit_retire(unit=filed.industry, on=dt.date(2012, 1, 1))
    page = text(login(filed.user("city", "viewer")).get(page_url(filed)))
    assert "产业工会" not in rates(page)
    assert rates(page)["合计"] == ["4", "3", "2", "75.0%", "50.0%"]
    assert not any("2102C01" in row[0] for row in overdue(page))
    assert not any(unit == "大连市机械冶金工会" for unit, _form in details(page))
    assert_rates_sane(page)


def test_unit_retired_after_the_deadline_is_still_expected(filed, login):
    orgunit_retire(unit=filed.industry, on=dt.date(2012, 2, 1))
    page = text(login(filed.user("city", "viewer")).get(page_url(filed)))
    assert rates(page)["产业工会"] == ["2", "0", "0", "0.0%", "0.0%"]
    assert ("大连市机械冶金工会 （已撤销）", "附件1") in details(page)
    assert_rates_sane(page)


def test_rates_never_above_100_with_units_added_late(filed, login):
    late = orgunit_create(
        code="210204",
        name="沙河口区总工会",
        kind=UnitKind.COUNTY,
        parent=filed.city,
        contact_person="赵六",
        contact_phone="82000004",
    )
    user_create(username="shk_filler", unit=late, role="filler", password="test-pass-123")
    filed.campaign.recipients.add(late, filed.zs_g1)
    for unit in (late, filed.zs_g1):
        file_report(filed, unit, "F1")
        file_report(filed, unit, "F2")
    submitted_at(late, "F1", dt.datetime(2012, 3, 1, 9, 0, tzinfo=SHANGHAI))
    submitted_at(filed.zs_g1, "F1", ON_TIME)  # the others were submitted today: late
    orgunit_retire(unit=filed.industry, on=dt.date(2012, 1, 1))
    page = text(login(filed.user("city", "viewer")).get(page_url(filed)))
    assert rates(page) == {
        "区市县总工会": ["6", "5", "2", "83.3%", "33.3%"],
        "基层工会": ["2", "2", "1", "100.0%", "50.0%"],
        "合计": ["8", "7", "3", "87.5%", "37.5%"],
    }
    assert details(page)[("沙河口区总工会", "附件1")][2] == "迟报"
    assert_rates_sane(page)


def test_a_lower_unit_in_the_query(filed, login):
    page = text(login(filed.user("city", "reviewer")).get(page_url(filed, "210203")))
    assert "报送情况 · 西岗区总工会" in page
    assert set(details(page)) == {("西岗区总工会", "附件1"), ("西岗区总工会", "附件2")}
    assert rates(page)["合计"] == ["2", "1", "0", "50.0%", "0.0%"]


def test_district_sees_its_own_subtree_by_default(filed, login):
    filed.campaign.recipients.add(filed.zs_g1)
    page = text(login(filed.user("zs", "viewer")).get(page_url(filed)))
    assert {unit for unit, _form in details(page)} == {"中山区总工会", "青泥洼桥街道总工会"}
    assert overdue(page) == [["青泥洼桥街道总工会（210202001）", "", "", BOTH]]


@pytest.mark.parametrize("unit", ["210200", "210203", "2102C01", "999999"])
def test_unit_outside_the_subtree_is_404(fed, login, unit):
    assert login(fed.user("zs", "reviewer")).get(page_url(fed, unit)).status_code == 404


@pytest.mark.parametrize("who", [("zsg", "reviewer"), ("zsg", "admin")])
def test_campaign_not_visible_is_404(fed, login, who):
    client = login(fed.user(*who))
    assert client.get(page_url(fed)).status_code == 404
    assert client.post(f"/campaigns/{fed.campaign.pk}/remind/").status_code == 404
    assert not Reminder.objects.exists()


def test_timeliness_never_exceeds_filing(filed, login):
    for report in Report.objects.filter(unit=filed.zs):  # both were submitted on time
        report_return(report=report, actor=filed.user("city", "reviewer"), reason="请核对")
    page = text(login(filed.user("city", "viewer")).get(page_url(filed)))
    assert ["中山区总工会（210202）", "张三", "82000001", BOTH] in overdue(page)
    for level, (_expected, filed_n, on_time, _f, _t) in rates(page).items():
        assert int(on_time) <= int(filed_n), level
    # the unit is listed as overdue, so its returned report is not "按时"
    assert details(page)[("中山区总工会", "附件1")][2] != "按时"


def test_rates_with_nothing_expected_read_cleanly(fed, login):
    page = text(login(fed.user("city", "viewer")).get(page_url(fed, "210202001")))
    assert rates(page)["合计"][:3] == ["0", "0", "0"]
    assert "—%" not in page


# --- 催报 -------------------------------------------------------------------------------------


def give_emails(fed):
    for key in ("xg_filler", "xg_reviewer", "ind_filler", "zs_filler", "city_reviewer"):
        user = fed.users[key]
        user.email = f"{key}@example.cn"
        user.save()
    gone = user_create(username="xg_gone", unit=fed.xg, role="filler", password="test-pass-123")
    gone.email, gone.is_active = "gone@example.cn", False
    gone.save()


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_reviewer_or_admin_reminds_every_overdue_unit_at_once(
    filed, login, mailoutbox, django_capture_on_commit_callbacks, role
):
    give_emails(filed)
    client = login(filed.user("city", role))
    assert "向全部逾期单位催报" in text(client.get(page_url(filed)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/campaigns/{filed.campaign.pk}/remind/", follow=True)
    assert response.redirect_chain == [(page_url(filed), 302)]
    assert ("success", "已向 2 个逾期单位发出催报。") in messages_in(text(response))
    reminders = Reminder.objects.all()
    assert sorted(r.unit.code for r in reminders) == ["210203", "2102C01"]
    assert {r.sent_by for r in reminders} == {filed.user("city", role)}
    message = "请尽快报送“2012年春风行动”的统计表和工作报告（截止日期 2012-01-08）。"
    assert {r.message for r in reminders} == {message}
    # not 中山区, which filed, and not an inactive user of 西岗区
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ind_filler@example.cn",
        "xg_filler@example.cn",
        "xg_reviewer@example.cn",
    ]
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert {m.subject for m in mailoutbox} == {"【春风】催报：2012年春风行动"}
    assert {m.body for m in mailoutbox} == {message}


def test_reminder_with_a_message_of_ones_own(
    filed, login, mailoutbox, django_capture_on_commit_callbacks
):
    give_emails(filed)
    client = login(filed.user("city", "reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/campaigns/{filed.campaign.pk}/remind/", {"message": "  请今天下班前报送  "})
    assert {r.message for r in Reminder.objects.all()} == {"请今天下班前报送"}
    assert {m.body for m in mailoutbox} == {"请今天下班前报送"}


def test_district_reviewer_reminds_its_grassroots_not_itself(
    fed, login, mailoutbox, django_capture_on_commit_callbacks
):
    fed.campaign.recipients.add(fed.zs_g1)
    for key in ("zsg_filler", "zs_filler"):
        fed.users[key].email = f"{key}@example.cn"
        fed.users[key].save()
    client = login(fed.user("zs", "reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/campaigns/{fed.campaign.pk}/remind/", follow=True)
    assert ("success", "已向 1 个逾期单位发出催报。") in messages_in(text(response))
    assert [r.unit.code for r in Reminder.objects.all()] == ["210202001"]
    assert [m.to for m in mailoutbox] == [["zsg_filler@example.cn"]]


@pytest.mark.parametrize(
    "who", [(u, r) for u in ("city", "zs", "xg") for r in ROLES if r in ("filler", "viewer")]
)
def test_fillers_and_viewers_cannot_remind(
    filed, login, mailoutbox, django_capture_on_commit_callbacks, who
):
    give_emails(filed)
    client = login(filed.user(*who))
    assert "向全部逾期单位催报" not in text(client.get(page_url(filed)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/campaigns/{filed.campaign.pk}/remind/")
    assert response.status_code == 403
    assert not Reminder.objects.exists() and not mailoutbox


def test_remind_is_post_only(fed, login):
    response = login(fed.user("city", "reviewer")).get(f"/campaigns/{fed.campaign.pk}/remind/")
    assert response.status_code == 405
    assert not Reminder.objects.exists()


def test_rates_are_rounded_half_up(fed, login):
    for n in range(4, 9):  # eight reporting units, two forms each: 16 expected reports
        unit = orgunit_create(
            code=f"21020{n}", name=f"第{n}区总工会", kind=UnitKind.COUNTY, parent=fed.city
        )
        fed.campaign.recipients.add(unit)
    file_report(fed, fed.zs, "F1")
    submitted_at(fed.zs, "F1", ON_TIME)
    page = text(login(fed.user("city", "viewer")).get(page_url(fed)))
    assert rates(page)["合计"] == ["16", "1", "1", "6.3%", "6.3%"]


def test_no_remind_button_when_only_ones_own_unit_is_overdue(fed, login):
    client = login(fed.user("zs", "reviewer"))
    page = text(client.get(page_url(fed)))
    assert overdue(page) == [["中山区总工会（210202）", "张三", "82000001", BOTH]]
    response = client.post(f"/campaigns/{fed.campaign.pk}/remind/", follow=True)
    assert not Reminder.objects.exists()
    assert ("success", "已向 0 个逾期单位发出催报。") not in messages_in(text(response))
    assert "向全部逾期单位催报" not in page
