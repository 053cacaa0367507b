"""下发: a district passes the city's campaign on to its grassroots unions with an earlier
deadline and a notice of its own; the deadline it gave is the one that counts for their
filing (overdue, 及时率, 催报), and the tree of deadlines shows on the campaign page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from chunfeng.accounts.services import user_create
from chunfeng.campaigns.models import PassDown, Reminder
from chunfeng.campaigns.passdown import campaign_pass_down, deadline_of
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.models import AuditEvent
from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.services import orgunit_create
from chunfeng.reports.models import Report
from chunfeng.reports.reminders import deadline_reminders_send
from tests.fixtures import PASSWORD, file_report

from .pages import section, table_rows, text

SHANGHAI = ZoneInfo("Asia/Shanghai")
EARLIER = dt.date(2012, 1, 5)


def url(fed, page: str = "") -> str:
    return f"/campaigns/{fed.campaign.pk}/{page}"


def pass_down(client, fed, **data):
    form = {"target": "grassroots", "deadline": "2012-01-05", "notice": "请于1月5日前报送。"}
    return client.post(url(fed, "pass-down/"), form | data)


@pytest.fixture
def passed(fed):
    """中山区 passed the campaign to its grassroots union with 5 January as deadline."""
    campaign_pass_down(
        campaign=fed.campaign,
        unit=fed.zs,
        actor=fed.user("zs", "admin"),
        target="grassroots",
        deadline=EARLIER,
        notice="中山区通知：请于1月5日前报送。",
    )
    return fed


def test_district_passes_down_with_an_earlier_deadline(fed, login):
    client = login(fed.user("zs", "admin"))
    assert "向下级下发" in text(client.get(url(fed)))
    page = text(client.get(url(fed, "pass-down/")))
    assert 'id="own-deadline">2012-01-08<' in page
    response = pass_down(client, fed)
    assert response.status_code == 302
    assert fed.campaign.recipients.filter(pk=fed.zs_g1.pk).exists()
    pd = PassDown.objects.get()
    assert (pd.unit, pd.deadline, list(pd.units.all())) == (fed.zs, EARLIER, [fed.zs_g1])
    assert deadline_of(fed.campaign, fed.zs_g1) == EARLIER
    assert deadline_of(fed.campaign, fed.zs) == dt.date(2012, 1, 8)
    event = AuditEvent.objects.get(action="campaign.pass_down")
    assert event.details["units"] == ["210202001"]


def test_a_later_deadline_is_refused_with_a_clear_message(fed, login):
    response = pass_down(login(fed.user("zs", "admin")), fed, deadline="2012-01-09")
    assert response.status_code == 200
    assert "下发的报送截止日期 2012-01-09 不能晚于中山区总工会本身的报送截止日期 2012-01-08" in (
        text(response)
    )
    assert not PassDown.objects.exists()
    assert not fed.campaign.recipients.filter(pk=fed.zs_g1.pk).exists()


def test_the_same_deadline_is_allowed(fed):
    pd = campaign_pass_down(
        campaign=fed.campaign,
        unit=fed.xg,
        actor=fed.user("xg", "reviewer"),
        target="children",
        deadline=dt.date(2012, 1, 8),
    )
    assert [u.code for u in pd.units.all()] == ["210203001"]


def test_a_union_passes_on_within_the_deadline_it_was_given(fed):
    """city → 中山区 → an industrial union of 中山区 → its grassroots union."""
    industry = orgunit_create(
        code="210202C1", name="中山区商贸工会", kind=UnitKind.INDUSTRY, parent=fed.zs
    )
    shop = orgunit_create(
        code="210202C1001", name="某商场工会", kind=UnitKind.GRASSROOTS, parent=industry
    )
    admin = user_create(username="zsc_admin", unit=industry, role="admin", password=PASSWORD)
    campaign_pass_down(
        campaign=fed.campaign,
        unit=fed.zs,
        actor=fed.user("zs", "admin"),
        target="picked",
        picked=[industry],
        deadline=EARLIER,
    )
    with pytest.raises(ApplicationError) as exc:
        campaign_pass_down(
            campaign=fed.campaign,
            unit=industry,
            actor=admin,
            target="children",
            deadline=dt.date(2012, 1, 6),
        )
    assert exc.value.code == "late_deadline"
    assert "2012-01-05" in exc.value.message  # the deadline 中山区 gave it, not the city's
    campaign_pass_down(
        campaign=fed.campaign,
        unit=industry,
        actor=admin,
        target="children",
        deadline=dt.date(2012, 1, 4),
    )
    assert deadline_of(fed.campaign, shop) == dt.date(2012, 1, 4)
    # 中山区 cannot now move its deadline before the one its industrial union passed on
    with pytest.raises(ApplicationError) as exc:
        campaign_pass_down(
            campaign=fed.campaign,
            unit=fed.zs,
            actor=fed.user("zs", "admin"),
            target="grassroots",
            deadline=dt.date(2012, 1, 3),
        )
    assert "中山区商贸工会（2012-01-04）" in exc.value.message


def test_only_a_recipient_passes_down_and_only_its_admins_and_reviewers(fed, login):
    with pytest.raises(ApplicationError, match="不是活动“2012年春风行动”的报送单位"):
        campaign_pass_down(
            campaign=fed.campaign,
            unit=fed.zs_g1,
            actor=fed.user("zsg", "admin"),
            target="children",
            deadline=EARLIER,
        )
    for role in ("filler", "viewer"):
        with pytest.raises(NotPermitted):
            campaign_pass_down(
                campaign=fed.campaign,
                unit=fed.zs,
                actor=fed.user("zs", role),
                target="grassroots",
                deadline=EARLIER,
            )
        assert pass_down(login(fed.user("zs", role)), fed).status_code == 403
        assert "向下级下发" not in text(login(fed.user("zs", role)).get(url(fed)))
    with pytest.raises(NotPermitted):  # another district's reviewer
        campaign_pass_down(
            campaign=fed.campaign,
            unit=fed.zs,
            actor=fed.user("xg", "reviewer"),
            target="grassroots",
            deadline=EARLIER,
        )
    assert not PassDown.objects.exists()


def test_picked_units_must_be_below_and_not_already_recipients(fed):
    for picked, why in (([fed.xg_g1], "不是中山区总工会的下级单位"), ([fed.zs], "不是中山区")):
        with pytest.raises(ApplicationError, match=why):
            campaign_pass_down(
                campaign=fed.campaign,
                unit=fed.zs,
                actor=fed.user("zs", "admin"),
                target="picked",
                picked=picked,
                deadline=EARLIER,
            )


def test_the_tree_of_deadlines_and_the_notice_on_the_campaign_page(passed, login):
    city = text(login(passed.user("city", "viewer")).get(url(passed)))
    rows = table_rows(section(city, 'id="deadline-tree"'))
    assert [r[0].strip("　└ ") for r in rows] == ["大连市总工会", "中山区总工会"]
    assert [r[2] for r in rows] == ["2012-01-08", "2012-01-05"]
    assert rows[1][1] == "1" and "请于1月5日前报送" in rows[1][3]
    grassroots = text(login(passed.user("zsg", "filler")).get(url(passed)))
    assert "本单位报送截止：2012-01-05" in grassroots
    assert "中山区通知：请于1月5日前报送。" in section(grassroots, 'id="pass-down-notice"')
    other = text(login(passed.user("xg", "viewer")).get(url(passed)))
    assert 'id="deadline-tree"' not in other  # 中山区's branch is none of 西岗区's business


def test_the_given_deadline_counts_for_timeliness_and_overdue(passed, login):
    """The grassroots union filed 附件1 on 6 January: on time for the city's deadline, late for
    the one 中山区 gave it; 附件2 it never filed — the overdue list names it, at both levels."""
    file_report(passed, passed.zs_g1, "F1")
    when = dt.datetime(2012, 1, 6, 10, 0, tzinfo=SHANGHAI)
    Report.objects.filter(unit=passed.zs_g1).update(first_submitted_at=when, submitted_at=when)
    for viewer in ("city", "zs"):
        page = text(login(passed.user(viewer, "viewer")).get(url(passed, "completeness/")))
        detail = {(r[0], r[1]): r[2:] for r in table_rows(section(page, 'id="completeness"'))}
        assert detail[("青泥洼桥街道总工会", "附件1")] == ["已报送", "2012-01-06 10:00", "迟报"]
        overdue = {r[0]: r for r in table_rows(section(page, 'id="overdue"'))}
        row = overdue["青泥洼桥街道总工会（210202001）"]
        assert row[3] == "附件2 困难职工帮扶中心统计表" and row[4] == "2012-01-05"
        per_form = table_rows(section(page, 'id="form-rates"'))
        assert ["F1", "基层工会", "1", "1", "0", "100.0%", "0.0%"] in per_form
        assert ["F2", "基层工会", "1", "0", "0", "0.0%", "0.0%"] in per_form


def test_automatic_reminders_follow_the_given_deadline(passed, mailoutbox):
    """On 3 January only the grassroots union is within three days of its deadline."""
    assert deadline_reminders_send(dt.datetime(2012, 1, 3, 9, tzinfo=SHANGHAI)) == 1
    reminder = Reminder.objects.get()
    assert reminder.unit == passed.zs_g1
    assert "报送截止日期是 2012-01-05（还有 2 天截止）" in reminder.message


def test_the_districts_own_reminder_names_the_deadline_it_gave(passed, login):
    client = login(passed.user("zs", "reviewer"))
    Report.objects.all().delete()
    client.post(url(passed, "remind/"))
    reminder = Reminder.objects.get()
    assert reminder.unit == passed.zs_g1 and "截止日期 2012-01-05" in reminder.message


def test_passing_again_adds_units_and_moves_the_deadline(passed):
    late = orgunit_create(
        code="210202002", name="新成立的基层工会", kind=UnitKind.GRASSROOTS, parent=passed.zs
    )
    user_create(username="new_filler", unit=late, role="filler", password=PASSWORD)
    pd = campaign_pass_down(
        campaign=passed.campaign,
        unit=passed.zs,
        actor=passed.user("zs", "admin"),
        target="grassroots",
        deadline=dt.date(2012, 1, 6),
    )
    assert sorted(u.code for u in pd.units.all()) == ["210202001", "210202002"]
    assert deadline_of(passed.campaign, passed.zs_g1) == dt.date(2012, 1, 6)
    assert PassDown.objects.count() == 1


def test_the_home_page_shows_the_deadline_given(passed, login):
    rows = table_rows(section(text(login(passed.user("zsg", "filler")).get("/")), 'id="todo"'))
    assert rows and all("2012-01-05" in " ".join(row) for row in rows)
    rows = table_rows(section(text(login(passed.user("zs", "filler")).get("/")), 'id="todo"'))
    assert rows and all("2012-01-08" in " ".join(row) for row in rows)
