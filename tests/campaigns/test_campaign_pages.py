"""Campaign pages: launching a campaign (admins only) with each recipient rule, copying one to
next year, and the list and detail pages scoped to the user's unit."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.services import campaign_create
from chunfeng.orgunits.services import orgunit_retire
from tests.fixtures import ROLES, file_report

from .pages import messages_in, table_rows, text

NON_ADMINS = [r for r in ROLES if r != "admin"]


def new_campaign(**changes) -> dict:
    data = {
        "name": "2013年春风行动",
        "notice": "请各单位于1月8日前报送。",
        "period_start": "2012-12-20",
        "period_end": "2013-01-22",
        "deadline": "2013-01-08",
        "requires_work_report": "on",
        "rule": "children",
        "form_F1": "on",
        "form_F2": "on",
        "ref_F2": "2012-12-31",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def recipients(campaign) -> set[str]:
    return set(campaign.recipients.values_list("code", flat=True))


def xg_campaign(fed) -> Campaign:
    return campaign_create(
        owner=fed.xg,
        name="西岗区基层送温暖",
        period_start=dt.date(2011, 12, 20),
        period_end=dt.date(2012, 1, 22),
        deadline=dt.date(2012, 1, 10),
        forms={"F1": None},
        recipients=[fed.xg_g1],
    )


# --- launching a campaign ---------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["city", "zs", "zsg"])
def test_admins_get_the_form(fed, login, unit):
    page = text(login(fed.user(unit, "admin")).get("/campaigns/new/"))
    assert "发起活动" in page and 'name="period_start"' in page and 'name="rule"' in page
    assert "附件1 送温暖工程统计表" in page and "附件2 困难职工帮扶中心统计表" in page
    for rule in ("全部直属下级单位", "所选单位下的全部基层工会", "逐个选择"):
        assert rule in page


@pytest.mark.parametrize("unit", ["city", "zs"])
@pytest.mark.parametrize("role", NON_ADMINS)
def test_non_admins_cannot_launch(fed, login, unit, role):
    client = login(fed.user(unit, role))
    response = client.get("/campaigns/new/")
    assert response.status_code == 403 and "只有管理员可以发起活动" in text(response)
    assert client.post("/campaigns/new/", new_campaign()).status_code == 403
    assert Campaign.objects.count() == 1


def test_launch_with_the_children_rule(fed, login):
    admin = fed.user("city", "admin")
    response = login(admin).post("/campaigns/new/", new_campaign(), follow=True)
    campaign = Campaign.objects.get(name="2013年春风行动")
    assert response.redirect_chain == [(f"/campaigns/{campaign.pk}/", 302)]
    assert ("success", "已发起活动“2013年春风行动”。") in messages_in(text(response))
    assert campaign.owner == fed.city and campaign.created_by == admin
    assert (campaign.period_start, campaign.period_end, campaign.deadline) == (
        dt.date(2012, 12, 20),
        dt.date(2013, 1, 22),
        dt.date(2013, 1, 8),
    )
    assert campaign.requires_work_report and campaign.notice == "请各单位于1月8日前报送。"
    assert dict(campaign.forms.values_list("code", "reference_date")) == {
        "F1": None,
        "F2": dt.date(2012, 12, 31),
    }
    assert recipients(campaign) == {"210202", "210203", "2102C01"}
    assert "中山区总工会（210202）" in text(response)  # the detail page lists the recipients


def test_children_rule_skips_retired_units(fed, login):
    orgunit_retire(unit=fed.industry, on=dt.date(2012, 6, 1))
    login(fed.user("city", "admin")).post("/campaigns/new/", new_campaign())
    assert recipients(Campaign.objects.get(name="2013年春风行动")) == {"210202", "210203"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"rule": "grassroots", "rule_unit": "zs"}, {"210202001"}),
        ({"rule": "grassroots"}, {"210202001", "210203001"}),
        ({"rule": "pick", "picked": ["xg", "zs_g1"]}, {"210203", "210202001"}),
        ({"rule": "pick", "picked": ["industry"], "form_F2": None}, {"2102C01"}),
    ],
    ids=["grassroots-of-zs", "grassroots-of-all", "pick", "pick-one-form"],
)
def test_launch_with_the_other_rules(fed, login, changes, expected):
    def pk(name):
        return getattr(fed, name).pk

    if "rule_unit" in changes:
        changes["rule_unit"] = pk(changes["rule_unit"])
    if "picked" in changes:
        changes["picked"] = [pk(n) for n in changes["picked"]]
    response = login(fed.user("city", "admin")).post("/campaigns/new/", new_campaign(**changes))
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="2013年春风行动")
    assert recipients(campaign) == expected
    forms = set(campaign.forms.values_list("code", flat=True))
    assert forms == ({"F1"} if changes.get("form_F2", "on") is None else {"F1", "F2"})


def test_district_admin_launches_for_its_own_grassroots(fed, login):
    login(fed.user("zs", "admin")).post("/campaigns/new/", new_campaign())
    campaign = Campaign.objects.get(name="2013年春风行动")
    assert campaign.owner == fed.zs and recipients(campaign) == {"210202001"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_end": "2012-12-19"}, "活动结束日期不能早于开始日期"),
        ({"deadline": "2012-12-01"}, "报送截止日期不能早于活动开始日期"),
        ({"form_F1": None, "form_F2": None}, "活动至少要包含一张表单"),
        ({"rule": "pick"}, "活动至少要有一个报送单位"),
        ({"name": "   "}, "这个字段是必填项。"),
        ({"period_start": "2012-13-01"}, "输入一个有效的日期。"),
    ],
)
def test_bad_input_is_refused_with_a_message(fed, login, changes, message):
    response = login(fed.user("city", "admin")).post("/campaigns/new/", new_campaign(**changes))
    assert response.status_code == 200
    assert message in text(response)
    assert Campaign.objects.count() == 1


def test_rule_unit_outside_the_subtree_is_refused(fed, login):
    data = new_campaign(rule="grassroots", rule_unit=fed.xg.pk)
    response = login(fed.user("zs", "admin")).post("/campaigns/new/", data)
    assert response.status_code == 200 and "选择一个有效的选项" in text(response)
    assert Campaign.objects.count() == 1


def test_notice_attachment_is_kept_and_downloadable(fed, login):
    notice = SimpleUploadedFile("大工办发[2012]1号.pdf", b"%PDF notice")
    login(fed.user("city", "admin")).post("/campaigns/new/", new_campaign(notice_file=notice))
    campaign = Campaign.objects.get(name="2013年春风行动")
    assert campaign.notice_file.name.startswith("notices/")
    response = login(fed.user("zs", "filler")).get(f"/campaigns/{campaign.pk}/notice-file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF notice"
    assert "通知附件" in text(login(fed.user("zs", "filler")).get(f"/campaigns/{campaign.pk}/"))
    no_file = login(fed.user("zs", "filler")).get(f"/campaigns/{fed.campaign.pk}/notice-file/")
    assert no_file.status_code == 404


# --- copying to next year -----------------------------------------------------------------------


def test_copy_makes_next_years_campaign(fed, login):
    Campaign.objects.filter(pk=fed.campaign.pk).update(
        requires_work_report=False, notice="2012年通知"
    )
    orgunit_retire(unit=fed.industry, on=dt.date(2012, 6, 1))
    client = login(fed.user("city", "admin"))
    response = client.post(
        f"/campaigns/{fed.campaign.pk}/copy/", {"name": "2013年春风行动"}, follow=True
    )
    copy = Campaign.objects.get(name="2013年春风行动")
    assert response.redirect_chain == [(f"/campaigns/{copy.pk}/", 302)]
    assert ("success", "已复制为“2013年春风行动”，日期已顺延一年，请核对。") in messages_in(
        text(response)
    )
    assert copy.owner == fed.city and copy.copied_from == fed.campaign
    assert (copy.period_start, copy.period_end, copy.deadline) == (
        dt.date(2012, 12, 20),
        dt.date(2013, 1, 22),
        dt.date(2013, 1, 8),
    )
    assert dict(copy.forms.values_list("code", "reference_date")) == {
        "F1": None,
        "F2": dt.date(2012, 12, 31),
    }
    original = {f.code: f.form_version_id for f in fed.campaign.forms.all()}
    assert {f.code: f.form_version_id for f in copy.forms.all()} == original
    assert recipients(copy) == {"210202", "210203"}  # the retired industry union is left out
    assert copy.requires_work_report is False and copy.notice == "2012年通知"
    assert copy.created_by == fed.user("city", "admin")


def test_copy_without_a_name_gets_a_default_one(fed, login):
    login(fed.user("city", "admin")).post(f"/campaigns/{fed.campaign.pk}/copy/", {"name": " "})
    assert Campaign.objects.filter(name="2012年春风行动（复制）").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [(("city", r), 403) for r in NON_ADMINS]
    + [
        (("zs", "admin"), 403),
        (("xg", "admin"), 403),
        (("ind", "admin"), 403),
        (("zsg", "admin"), 404),
    ],
    ids=lambda v: "_".join(v) if isinstance(v, tuple) else str(v),
)
def test_only_admins_of_the_owner_may_copy(fed, login, who, status):
    response = login(fed.user(*who)).post(f"/campaigns/{fed.campaign.pk}/copy/", {"name": "x"})
    assert response.status_code == status
    assert Campaign.objects.count() == 1


def test_copy_is_post_only(fed, login):
    response = login(fed.user("city", "admin")).get(f"/campaigns/{fed.campaign.pk}/copy/")
    assert response.status_code == 405


def test_copy_form_shown_to_the_owners_admin(fed, login):
    page = text(login(fed.user("city", "admin")).get(f"/campaigns/{fed.campaign.pk}/"))
    assert f'action="/campaigns/{fed.campaign.pk}/copy/"' in page
    page = text(login(fed.user("city", "reviewer")).get(f"/campaigns/{fed.campaign.pk}/"))
    assert "/copy/" not in page


def test_copy_form_not_shown_to_admins_who_may_not_copy(fed, login):
    page = text(login(fed.user("zs", "admin")).get(f"/campaigns/{fed.campaign.pk}/"))
    assert "/copy/" not in page


# --- list and detail, scoped --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_is_scoped_to_the_unit(fed, login, role):
    xg_campaign(fed)

    def names(unit):
        page = text(login(fed.user(unit, role)).get("/campaigns/"))
        return {row[0] for row in table_rows(page)}

    assert names("city") == {"2012年春风行动", "西岗区基层送温暖"}
    assert names("xg") == {"2012年春风行动", "西岗区基层送温暖"}
    assert names("zs") == {"2012年春风行动"}
    assert names("ind") == {"2012年春风行动"}
    assert names("zsg") == {"暂无活动。"}  # not a recipient of anything


@pytest.mark.parametrize(
    "who", [("zs", "admin"), ("zs", "viewer"), ("ind", "reviewer"), ("zsg", "filler")]
)
def test_detail_of_a_campaign_not_visible_is_404(fed, login, who):
    other = xg_campaign(fed)
    client = login(fed.user(*who))
    assert client.get(f"/campaigns/{other.pk}/").status_code == 404
    assert client.get(f"/campaigns/{other.pk}/completeness/").status_code == 404
    assert client.get(f"/campaigns/{other.pk}/summary/210203/F1/").status_code == 404


def test_detail_grid_shows_the_recipients_in_the_users_subtree(fed, login):
    file_report(fed, fed.zs)
    city = text(login(fed.user("city", "viewer")).get(f"/campaigns/{fed.campaign.pk}/"))
    rows = table_rows(city)
    assert [r[0] for r in rows] == [
        "中山区总工会（210202）",
        "西岗区总工会（210203）",
        "大连市机械冶金工会（2102C01）",
    ]
    assert rows[0][1:] == ["已报送", "未开始"] and rows[1][1:] == ["未开始", "未开始"]
    zs = text(login(fed.user("zs", "viewer")).get(f"/campaigns/{fed.campaign.pk}/"))
    assert [r[0] for r in table_rows(zs)] == ["中山区总工会（210202）"]
    assert f'href="/campaigns/{fed.campaign.pk}/summary/210202/F1/"' in zs


@pytest.mark.parametrize("role", ROLES)
def test_launch_link_only_for_admins(fed, login, role):
    page = text(login(fed.user("city", role)).get("/campaigns/"))
    assert ('href="/campaigns/new/"' in page) == (role == "admin")
