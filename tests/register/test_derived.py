"""表实相符: figures computed from the records against hand-computed expectations, taken into a
draft, and differences marked on the report and 汇总 pages."""

import datetime as dt
from decimal import Decimal

import pytest

from chunfeng.core.actors import SYSTEM
from chunfeng.core.idnumbers import check_digit
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.funds.models import PaymentBatch, PaymentLine, Receipt, Visit
from chunfeng.reconcile.figures import derived_figures, differences, report_take_derived
from chunfeng.register.services import household_create, household_escape
from chunfeng.reports.models import Report, ReportStatus
from chunfeng.reports.selectors import report_slot_for, report_values
from tests.fixtures import file_report

F1 = latest_builtin("F1")


def ident(n: int, year: int = 1975) -> str:
    first17 = f"210202{year}0101{n:03d}"
    return first17 + check_digit(first17)


def household(fed, unit, n, **extra):
    data = {"id_number": ident(n, extra.pop("year", 1975)), "name": f"职工{n}", "category": "B"}
    return household_create(unit=unit, data=data | extra, actor=SYSTEM)


def pay(fed, unit, h, amount, aid="living", cancelled=False):
    batch, _ = PaymentBatch.objects.get_or_create(unit=unit, campaign=fed.campaign, name="第一批")
    return PaymentLine.objects.create(
        batch=batch,
        household=h,
        unit=unit,
        campaign=fed.campaign,
        id_number=h.id_number,
        name=h.name,
        amount=Decimal(amount),
        aid_type=aid,
        paid_on=dt.date(2012, 1, 10),
        cancelled=cancelled,
    )


@pytest.fixture
def records(fed):
    zs, g1 = fed.zs, fed.zs_g1
    h1 = household(fed, zs, 1, category="B", is_migrant=True)
    h2 = household(fed, g1, 2, category="C", is_model_worker=True)
    h3 = household(fed, g1, 3, category="D", is_migrant="是", year=1985)
    h4 = household(fed, zs, 4, category="B")
    household_escape(
        household=household(fed, zs, 5),
        on=dt.date(2011, 6, 1),
        reason="再就业",
        actor=fed.user("zs", "admin"),
    )
    household(fed, fed.xg, 6)  # another district: never counted for 中山区
    for source, amount in (("government", "30000.00"), ("union", "12345.67"), ("donation", "5")):
        Receipt.objects.create(
            unit=zs,
            campaign=fed.campaign,
            source=source,
            amount=Decimal(amount),
            received_on=dt.date(2011, 12, 25),
        )
    Receipt.objects.create(
        unit=g1,
        campaign=fed.campaign,
        source="other",
        amount=Decimal("100.50"),
        received_on=dt.date(2011, 12, 26),
    )
    pay(fed, zs, h1, "1000.00")
    pay(fed, g1, h2, "800.00", aid="medical")
    pay(fed, g1, h3, "300.00", aid="heating")
    pay(fed, zs, h3, "200.00", aid="heating")
    pay(fed, zs, h4, "999.99", cancelled=True)
    Visit.objects.create(
        unit=zs,
        campaign=fed.campaign,
        kind="enterprise",
        enterprise="大连港",
        is_hardship_enterprise=True,
        visited_on=dt.date(2011, 12, 28),
        visitors="张三",
    )
    Visit.objects.create(
        unit=g1,
        campaign=fed.campaign,
        kind="household",
        household=h4,
        visited_on=dt.date(2011, 12, 29),
        visitors="李四",
    )
    return h1, h2, h3, h4


def test_figures_for_a_district_subtree(fed, records):
    got = derived_figures(F1, fed.campaign, fed.zs)
    assert {k: got[k] for k in ("03A", "03A.2", "03B", "03C", "03D", "03E")} == {
        "03A": 4,
        "03A.2": 2,
        "03B": 2,
        "03C": 1,
        "03D": 1,
        "03E": 1,
    }
    assert (got["04A"], got["04A.2"], got["04B"]) == (1, 1, 1)
    # helped = visited h4 + paid h1, h2, h3 (h4's payment is cancelled but it was visited)
    assert (got["04C"], got["04C.2"], got["04C.3"], got["04C.4"]) == (4, 4, 2, 1)
    assert got["05B"] == Decimal("3.0000") and got["05C"] == Decimal("1.2346")  # 12345.67 元
    assert got["05D"] == Decimal("0.0005") and got["05E"] == Decimal("0.0101")
    assert got["05A"] == Decimal("4.2451")  # 42451.17 元, rounded half up to 万元 4 places
    assert got["06A"] == Decimal("0.2300") and got["06B"] == Decimal("0.0800")
    assert got["06C"] == Decimal("0.1500")  # h1 1000 + h3 300 + 200
    assert (got["07D"], got["07F"], got["07G"], got["07I"]) == (1, 1, 0, 1)
    assert got["07I.2"] == Decimal("500.00")


def test_figures_for_a_grassroots_union_only(fed, records):
    got = derived_figures(F1, fed.campaign, fed.zs_g1)
    assert (got["03A"], got["04C"], got["06A"], got["05A"]) == (
        2,
        3,
        Decimal("0.1100"),
        Decimal("0.0101"),
    )


def test_take_into_draft_keeps_other_blanks(fed, records):
    filler = fed.user("zs", "filler")
    file_report(fed, fed.zs, submit=False, values={"01A": 5000, "06A": "9"})
    slot = report_slot_for(filler, fed.campaign.pk, "210202", "F1")
    report, _ = report_take_derived(slot=slot, actor=filler)
    values = report_values(report, slot.definition)
    assert values["01A"] == 5000 and values["06A"] == Decimal("0.2300") and values["03A"] == 4


def test_report_page_marks_differences(fed, records, login):
    file_report(fed, fed.zs, submit=False, values={"06A": "9", "03A": 4})
    client = login(fed.user("city", "reviewer"))
    entry = client.get(f"/campaigns/{fed.campaign.pk}/reports/210202/F1/").content.decode()
    # the entry page offers the comparison; the figures come on request (HTMX)
    assert "表实相符" in entry and "/reports/210202/F1/records/" in entry
    assert "0.2300" not in entry
    for headers in ({"HX-Request": "true"}, {}):
        page = client.get(
            f"/campaigns/{fed.campaign.pk}/reports/210202/F1/records/", headers=headers
        ).content.decode()
        assert "表实相符" in page and "与报表不一致" in page
        assert "0.2300" in page and "9.0000" in page
        assert ("<html" in page) is not bool(headers)


def test_summary_shows_where_a_districts_06A_differs(fed, records, login):
    report = file_report(fed, fed.zs, submit=False, values={"06A": "9", "03A": 4})
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    client = login(fed.user("city", "reviewer"))
    url = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"
    # the 汇总 page offers the comparison, made on request (records/)
    assert 'id="summary-compare"' in client.get(url).content.decode()
    url += "records/"
    page = client.get(url).content.decode()
    # each unit is compared only on demand: the page links to it
    assert 'id="record-diffs"' in page and "unit_diffs=1" in page and "<h3>中山区总工会" not in page
    page = client.get(url + "?unit_diffs=1").content.decode()
    assert 'id="record-diffs"' in page and "<h3>中山区总工会" in page
    assert "06A" in page and "0.2300" in page


def test_differences_ignore_empty_blanks(fed):
    from chunfeng.formdefs.loader import latest_builtin

    definition = latest_builtin("F1")
    diffs = differences(
        definition, {"06A": Decimal("1"), "03A": None}, {"06A": Decimal("2"), "03A": 3}
    )
    assert [d.code for d in diffs] == ["06A"]


def test_derive_button_through_the_page(fed, records, login):
    client = login(fed.user("zs", "filler"))
    response = client.post(f"/campaigns/{fed.campaign.pk}/reports/210202/F1/derive/")
    assert response.status_code == 302
    report = Report.objects.get(unit=fed.zs, campaign_form__code="F1")
    assert report_values(report, report.form_version.definition)["04C"] == 4
    other = login(fed.user("zs", "reviewer")).post(
        f"/campaigns/{fed.campaign.pk}/reports/210202/F1/derive/"
    )
    assert other.status_code == 403


def test_no_records_no_comparison(fed, login):
    assert derived_figures(F1, fed.campaign, fed.zs) == {}
    file_report(fed, fed.zs, submit=False, values={"03A": 50})
    page = (
        login(fed.user("zs", "filler"))
        .get(f"/campaigns/{fed.campaign.pk}/reports/210202/F1/records/")
        .content.decode()
    )
    assert "暂无可核对的数字" in page and "与报表不一致" not in page
