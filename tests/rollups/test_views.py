"""The roll-up pages (汇总): the summary laid out as the form, the per-unit table, the
drill-down behind each total, the choice of approved or also submitted reports, scope, and the
comparison with the previous campaign."""

import datetime as dt
import re

import pytest

from chunfeng.campaigns.services import campaign_create
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from chunfeng.reports.models import ReportStatus as S
from chunfeng.reports.selectors import report_slot_for
from chunfeng.reports.services import report_save
from chunfeng.reports.workflow import report_approve
from tests.fixtures import ROLES, file_report, zeros


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def money(amount: str, households: int = 1) -> dict:
    """Figures for 05A that pass every check: all of it 其他收入 and all of it paid out."""
    return {"05A": amount, "05E": amount, "06A": amount, "04C": households}


def url(campaign, unit="210200", form="F1", page="", **query) -> str:
    address = f"/campaigns/{campaign.pk}/summary/{unit}/{form}/" + page
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def totals(page: str) -> dict[str, str]:
    """The total printed in each blank of the summary form."""
    return dict(re.findall(r'id="t-([^"]+)"[^>]*>([^<]*)</a>', page))


def body_rows(page: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


@pytest.fixture
def filed(fed):
    """中山区 and 西岗区 approved through the workflow; the industry union only submitted."""
    city_reviewer = fed.user("city", "reviewer")
    zs = file_report(fed, fed.zs, values={"01A": 100, "01A.2": 40} | money("1.2345"))
    xg = file_report(fed, fed.xg, values={"01A": 50, "01A.2": 5} | money("2.5", 3))
    file_report(fed, fed.industry, values={"01A": 30} | money("10"))
    report_approve(report=zs, actor=city_reviewer)
    report_approve(report=xg, actor=city_reviewer)
    return fed


def put(campaign, unit, values: dict, status=S.APPROVED, form="F1"):
    """A report with these figures (zeros elsewhere), set straight to ``status``."""
    filler = unit.users.get(role="filler")
    slot = report_slot_for(filler, campaign.pk, unit.code, form)
    data = zeros(latest_builtin(form)) | {k: str(v) for k, v in values.items()}
    report, _ = report_save(slot=slot, actor=filler, values=data)
    Report.objects.filter(pk=report.pk).update(status=status)


# --- the summary ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_totals_are_the_sum_of_the_approved_reports(filed, login, role):
    page = text(login(filed.user("city", role)).get(url(filed.campaign)))
    shown = totals(page)
    assert shown["01A"] == "150" and shown["01A.2"] == "45"
    assert shown["05A"] == "3.7345" and shown["04C"] == "4" and shown["02A"] == "0"
    assert "已汇总 2 / 3 个报送单位。" in page and "未纳入：大连市机械冶金工会" in page
    assert set(shown) == set(latest_builtin("F1").blanks)


def test_status_approved_is_the_default(filed, login):
    client = login(filed.user("city", "viewer"))
    assert totals(text(client.get(url(filed.campaign)))) == totals(
        text(client.get(url(filed.campaign, status="approved")))
    )


def test_status_submitted_includes_submitted_reports(filed, login):
    page = text(login(filed.user("city", "viewer")).get(url(filed.campaign, status="submitted")))
    shown = totals(page)
    # the industrial union's 30 workers are already in the districts' 01A (属地 only)
    assert shown["01A"] == "150" and shown["05A"] == "13.7345" and shown["04C"] == "5"
    assert "本级＋属地（产业与属地重叠，不相加）" in page
    assert "已汇总 3 / 3 个报送单位。" in page and "未纳入" not in page
    assert '<option value="submitted" selected>' in page
    assert "status=submitted" in page  # the drill-down and table links keep the choice


def test_drafts_and_returned_reports_are_never_summed(fed, login):
    put(fed.campaign, fed.zs, {"01A": 7}, S.DRAFT)
    put(fed.campaign, fed.xg, {"01A": 9}, S.RETURNED)
    for status in ("approved", "submitted"):
        page = text(login(fed.user("city", "viewer")).get(url(fed.campaign, status=status)))
        assert totals(page)["01A"] == "—" and "已汇总 0 / 3 个报送单位。" in page


def test_a_district_summary_sums_its_grassroots(fed, login):
    fed.campaign.recipients.add(fed.zs_g1)
    report = file_report(fed, fed.zs_g1, values={"01A": 77})
    report_approve(report=report, actor=fed.user("zs", "reviewer"))
    page = text(login(fed.user("zs", "filler")).get(url(fed.campaign, unit="210202")))
    assert totals(page)["01A"] == "77" and "已汇总 1 / 1 个报送单位。" in page


def test_checks_run_on_the_totals(fed, login):
    put(fed.campaign, fed.zs, {"01A": 10, "01A.2": 8})
    put(fed.campaign, fed.xg, {"01A": 10, "01A.2": 15})
    page = text(login(fed.user("city", "viewer")).get(url(fed.campaign)))
    assert "汇总数的自动审核结果" in page and "F1-01" in page
    assert 'class="total has-error" id="t-01A"' in page


def test_yes_no_total_counts_the_yes_answers(fed, login):
    put(fed.campaign, fed.zs, {"05B": "是"}, form="F2")
    put(fed.campaign, fed.xg, {"05B": "是"}, form="F2")
    put(fed.campaign, fed.industry, {"05B": "否"}, form="F2")
    page = text(login(fed.user("city", "viewer")).get(url(fed.campaign, form="F2")))
    assert totals(page)["05B"] == "2" and "个单位答“是”" in page


# --- the drill-down ----------------------------------------------------------------------------


def test_drill_down_lists_each_units_figure_and_the_total(filed, login):
    client = login(filed.user("city", "reviewer"))
    page = text(client.get(url(filed.campaign, page="drill/05A/")))
    assert "05A 筹集慰问款物总额（万元）" in page
    assert body_rows(page)[1:] == [  # the city has both branches: each unit's is named
        ["大连市总工会（本级）", "", "—"],
        ["中山区总工会", "属地", "1.2345"],
        ["西岗区总工会", "属地", "2.5000"],
        ["下级合计", "", "3.7345"],
        ["合计", "", "3.7345"],
    ]
    assert f'href="/campaigns/{filed.campaign.pk}/reports/210202/F1/"' in page
    both = text(client.get(url(filed.campaign, page="drill/01A/", status="submitted")))
    # the industrial union's workers overlap the districts': shown, not added (属地 only)
    assert body_rows(both)[1:] == [
        ["大连市总工会（本级）", "", "—"],
        ["中山区总工会", "属地", "100"],
        ["西岗区总工会", "属地", "50"],
        ["大连市机械冶金工会", "产业（不计入）", "30"],
        ["下级合计", "", "150"],
        ["合计", "", "150"],
    ]
    assert "合计规则：本级＋属地（产业与属地重叠，不相加）" in both


def test_drill_down_of_an_unknown_blank_is_404(filed, login):
    client = login(filed.user("city", "reviewer"))
    assert client.get(url(filed.campaign, page="drill/99Z/")).status_code == 404


def test_drill_down_and_table_show_yes_no_answers_in_chinese(fed, login):
    put(fed.campaign, fed.zs, {"05B": "是"}, form="F2")
    put(fed.campaign, fed.xg, {"05B": "否"}, form="F2")
    client = login(fed.user("city", "viewer"))
    drill = text(client.get(url(fed.campaign, form="F2", page="drill/05B/")))
    assert body_rows(drill)[1:] == [
        ["大连市总工会（本级）", "", "—"],
        ["中山区总工会", "属地", "是"],
        ["西岗区总工会", "属地", "否"],
        ["下级合计", "", "1"],
        ["合计", "", "1"],
    ]
    table = text(client.get(url(fed.campaign, form="F2", page="table/")))
    assert "True" not in table and "False" not in table


# --- the per-unit table -------------------------------------------------------------------------


def _table_units(page: str) -> list[str]:
    names = ("中山区总工会", "西岗区总工会", "大连市机械冶金工会")
    return [row[0] for row in body_rows(page) if row and row[0] in names]


def test_table_lists_units_and_totals(filed, login):
    page = text(login(filed.user("city", "viewer")).get(url(filed.campaign, page="table/")))
    assert _table_units(page) == ["中山区总工会", "西岗区总工会"]
    blanks = list(latest_builtin("F1").blanks)
    rows = {row[0]: row[1:] for row in body_rows(page)}
    assert rows["中山区总工会"][blanks.index("01A")] == "100"
    assert rows["合计"][blanks.index("01A")] == "150"
    assert rows["合计"][blanks.index("05A")] == "3.7345"


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ({"sort": "01A", "dir": "asc"}, ["大连市机械冶金工会", "西岗区总工会", "中山区总工会"]),
        ({"sort": "01A", "dir": "desc"}, ["中山区总工会", "西岗区总工会", "大连市机械冶金工会"]),
        ({"sort": "05A", "dir": "desc"}, ["大连市机械冶金工会", "西岗区总工会", "中山区总工会"]),
        ({"sort": "04C"}, ["中山区总工会", "大连市机械冶金工会", "西岗区总工会"]),
        ({}, ["中山区总工会", "西岗区总工会", "大连市机械冶金工会"]),  # by code
        (
            {"sort": "nonsense", "dir": "desc"},
            ["中山区总工会", "西岗区总工会", "大连市机械冶金工会"],
        ),
    ],
)
def test_table_sorts(filed, login, query, order):
    client = login(filed.user("city", "viewer"))
    page = text(client.get(url(filed.campaign, page="table/", status="submitted", **query)))
    assert _table_units(page) == order


def test_table_header_links_toggle_the_direction(filed, login):
    client = login(filed.user("city", "viewer"))
    page = text(client.get(url(filed.campaign, page="table/", sort="01A", dir="asc")))
    assert 'href="?status=approved&sort=01A&dir=desc">01A↑' in page
    page = text(client.get(url(filed.campaign, page="table/", sort="01A", dir="desc")))
    assert 'href="?status=approved&sort=01A&dir=asc">01A↓' in page


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "table/", "drill/01A/", "records/"])
@pytest.mark.parametrize("status", ["draft", "all", "returned", "APPROVED"])
def test_a_bad_status_is_404(filed, login, page, status):
    client = login(filed.user("city", "viewer"))
    assert client.get(url(filed.campaign, page=page, status=status)).status_code == 404


@pytest.mark.parametrize("page", ["", "table/", "drill/01A/", "records/"])
@pytest.mark.parametrize("unit", ["210200", "210203", "2102C01"])
@pytest.mark.parametrize("role", ROLES)
def test_a_district_cannot_open_the_city_or_a_sibling(filed, login, page, unit, role):
    client = login(filed.user("zs", role))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(url(filed.campaign, unit=unit, page=page), headers=headers)
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_district_opens_its_own_summary(filed, login, role):
    page = text(login(filed.user("zs", role)).get(url(filed.campaign, unit="210202")))
    assert "中山区总工会 › 汇总" in page
    page = text(login(filed.user("zs", role)).get(url(filed.campaign, "210202", page="records/")))
    assert "中山区总工会 › 汇总" in page and 'id="summary-compare"' in page


def test_unknown_form_and_campaign_are_404(filed, login):
    client = login(filed.user("city", "viewer"))
    assert client.get(url(filed.campaign, form="F9")).status_code == 404
    missing = filed.campaign.pk + 1000
    assert client.get(f"/campaigns/{missing}/summary/210200/F1/").status_code == 404


@pytest.mark.parametrize("page", ["", "records/"])
def test_summary_needs_a_login(filed, client, page):
    response = client.get(url(filed.campaign, page=page), headers={"HX-Request": "true"})
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- comparison with the previous campaign -------------------------------------------------------


def previous_campaign(fed, owner=None, forms=None):
    return campaign_create(
        owner=owner or fed.city,
        name="2011年春风行动",
        period_start=dt.date(2010, 12, 20),
        period_end=dt.date(2011, 1, 22),
        deadline=dt.date(2011, 1, 8),
        forms=forms or {"F1": None},
        recipients=[fed.zs, fed.xg, fed.industry],
    )


def test_comparison_with_the_previous_campaign_flags_a_large_change(fed, login):
    before = previous_campaign(fed)
    put(before, fed.zs, {"01A": 100, "04C": 2} | money("2.0000", 2))
    put(before, fed.xg, {"01A": 50, "04C": 2} | money("1.0000", 2))
    put(before, fed.industry, {"01A": 999}, S.SUBMITTED)  # not approved: not in the sum
    put(fed.campaign, fed.zs, {"01A": 100, "04C": 2} | money("2.1000", 2))
    put(fed.campaign, fed.xg, {"01A": 200, "04C": 2} | money("1.0000", 2))
    page = text(login(fed.user("city", "viewer")).get(url(fed.campaign)))
    assert "与上期（2011年春风行动）比较" in page
    assert "1 项变化较大（增减 50% 以上）" in page
    rows = {row[0]: row[1:] for row in body_rows(page) if row and row[0] in ("01A", "05A", "04C")}
    assert rows["01A"] == ["当地职工总数（人）", "300", "150", "150", "100.0"]
    assert rows["05A"] == ["筹集慰问款物总额（万元）", "3.1000", "3.0000", "0.1000", "3.3"]
    assert rows["04C"] == ["慰问困难家庭总数（户）", "4", "4", "0", "0.0"]
    assert '<tr class="flag"><td>01A</td>' in page
    assert '<tr class="flag"><td>05A</td>' not in page


def test_comparison_from_nothing_to_something_is_flagged(fed, login):
    before = previous_campaign(fed)
    put(before, fed.zs, {"07A": 0})
    put(fed.campaign, fed.zs, {"07A": 12})
    page = text(login(fed.user("city", "viewer")).get(url(fed.campaign)))
    assert '<tr class="flag"><td>07A</td>' in page and "1 项变化较大" in page


def test_comparison_keeps_the_status_choice(fed, login):
    before = previous_campaign(fed)
    put(before, fed.zs, {"01A": 100})
    put(before, fed.xg, {"01A": 100}, S.SUBMITTED)
    put(fed.campaign, fed.zs, {"01A": 100})
    put(fed.campaign, fed.xg, {"01A": 100}, S.SUBMITTED)
    client = login(fed.user("city", "viewer"))
    approved = text(client.get(url(fed.campaign)))
    both = text(client.get(url(fed.campaign, status="submitted")))
    for page, total in ((approved, "100"), (both, "200")):
        row = [r for r in body_rows(page) if r and r[0] == "01A"][-1]  # the comparison's
        assert row[2:] == [total, total, "0", "0.0"]
        assert "变化较大" not in page


def test_no_comparison_without_a_previous_campaign(filed, login):
    page = text(login(filed.user("city", "viewer")).get(url(filed.campaign)))
    assert "与上期" not in page


def test_no_comparison_with_another_owners_or_another_forms_campaign(fed, login):
    campaign_create(
        owner=fed.xg,
        name="西岗区2011年",
        period_start=dt.date(2010, 12, 20),
        period_end=dt.date(2011, 1, 22),
        deadline=dt.date(2011, 1, 8),
        forms={"F1": None},
        recipients=[fed.xg_g1],
    )
    previous_campaign(fed, forms={"F2": None})
    client = login(fed.user("city", "viewer"))
    assert "与上期" not in text(client.get(url(fed.campaign)))
    assert "与上期（2011年春风行动）比较" in text(client.get(url(fed.campaign, form="F2")))
