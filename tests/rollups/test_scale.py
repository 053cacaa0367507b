"""The 汇总 at scale: its totals are summed by the database per branch (exactly, on SQLite
too), and the selector, the API answer and the pages (the 汇总 of 附件1 with its records,
funds and composition panels and the previous campaign beside it, the unit table, the
drill-down) each use a number of queries that does not grow with the number of reporting
units (5 against 30, some of them missing); the unit table is read a page at a time."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.campaigns.selectors import campaign_form
from chunfeng.campaigns.services import campaign_create
from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.services import orgunit_create
from chunfeng.reports.models import Report, ReportStatus, ReportValue
from chunfeng.rollups.per_unit import PAGE_SIZE, unit_rows
from chunfeng.rollups.selectors import summary_for


def add_units(
    fed, n: int, seed: int = 7, start: int = 0, form: str = "F2", missing_every: int = 0
) -> dict[str, dict[str, Decimal]]:
    """``n`` grassroots unions directly under the city, each with an approved report of
    ``form`` (but every ``missing_every``-th one, which filed nothing)."""
    rng = random.Random(seed)
    cform = campaign_form(fed.campaign, form)
    filled: dict[str, dict[str, Decimal]] = {}
    for i in range(start, start + n):
        unit = orgunit_create(
            code=f"2102G{i:04d}", name=f"基层工会{i}", kind=UnitKind.GRASSROOTS, parent=fed.city
        )
        fed.campaign.recipients.add(unit)
        if missing_every and i % missing_every == 0:
            continue
        report = Report.objects.create(
            campaign_form=cform,
            unit=unit,
            form_version=cform.form_version,
            status=ReportStatus.APPROVED,
        )
        values = {
            "05A": Decimal(f"{rng.randint(0, 10**6)}.{rng.randint(0, 9999):04d}"),
            "12A": Decimal(rng.randint(0, 1000)),
            "05B": Decimal(rng.randint(0, 1)),
        }
        ReportValue.objects.bulk_create(
            ReportValue(report=report, code=code, value=value) for code, value in values.items()
        )
        filled[unit.code] = values
    return filled


def test_totals_are_exact_decimal_sums(fed):
    filled = add_units(fed, 40)
    summary = summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F2"))
    expect = sum((v["05A"] for v in filled.values()), Decimal(0))
    assert summary.values["05A"] == expect
    assert summary.values["05A"].as_tuple().exponent == -4
    assert summary.values["12A"] == sum(int(v["12A"]) for v in filled.values())
    assert summary.values["05B"] == sum(int(v["05B"]) for v in filled.values())
    assert summary.per_unit["2102G0003"]["05A"] == filled["2102G0003"]["05A"]


def test_unit_rows_stream_each_units_figures_in_path_order(fed):
    filled = add_units(fed, 12, missing_every=5)
    summary = summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F2"))
    rows = list(unit_rows(summary))
    assert [u.code for u, _figures in rows] == sorted(filled)
    for unit, figures in rows:
        assert figures["05A"] == filled[unit.code]["05A"]
        assert figures["12A"] == int(filled[unit.code]["12A"])
        assert figures["05B"] is bool(filled[unit.code]["05B"])
        assert figures == summary.per_unit[unit.code]


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def counts(fed, run, **grow) -> tuple[int, int]:
    add_units(fed, 5, **grow)
    run()  # once first: a first request fills per-process caches (form definitions, session)
    few = queries(run)
    add_units(fed, 25, seed=8, start=5, **grow)
    return few, queries(run)


def previous_campaign(fed) -> None:
    """The city's campaign of the year before, with the same forms and recipients: the 汇总
    page compares with it (and the composition chart shows it)."""
    campaign_create(
        owner=fed.city,
        name="2011年春风行动",
        period_start=dt.date(2010, 12, 20),
        period_end=dt.date(2011, 1, 22),
        deadline=dt.date(2011, 1, 8),
        forms={"F1": None, "F2": dt.date(2010, 12, 31)},
        recipients=[fed.zs, fed.xg, fed.industry],
    )


def test_selector_queries_do_not_grow_with_units(fed):
    cform = campaign_form(fed.campaign, "F2")

    def run():
        summary = summary_for(fed.campaign, fed.city, cform, "approved")
        [summary.per_unit[u.code] for u in summary.included]

    few, many = counts(fed, run)
    assert few == many


@pytest.mark.parametrize("path", ["/api/v1/campaigns/{}/summary/210200/F2"])
def test_api_queries_do_not_grow_with_units(fed, api, path):
    client = api(fed.token("city", "viewer"))
    url = path.format(fed.campaign.pk)

    def run():
        assert client.get(url).status_code == 200

    few, many = counts(fed, run)
    assert few == many


@pytest.mark.parametrize("tail", ["", "table/", "drill/05A/"])
def test_pages_queries_do_not_grow_with_units(fed, login, tail):
    client = login(fed.user("city", "viewer"))
    url = f"/campaigns/{fed.campaign.pk}/summary/210200/F2/{tail}"

    def run():
        assert client.get(url).status_code == 200

    few, many = counts(fed, run)
    assert few == many


@pytest.mark.parametrize(
    ("form", "tail"),
    [
        ("F1", ""),
        ("F1", "?status=submitted"),
        ("F1", "table/"),
        ("F1", "table/?sort=01A&dir=desc"),
        ("F1", "drill/05A/"),
        ("F2", "table/?sort=05A&page=2"),
    ],
)
def test_pages_of_the_form_with_records_and_a_previous_campaign(fed, login, form, tail):
    """附件1 brings every panel of the 汇总 page (表实相符, 不滞留, the composition chart), a
    previous campaign the comparison, and every third unit has filed nothing (named as
    missing): still the same queries for 5 and for 30 units."""
    previous_campaign(fed)
    client = login(fed.user("city", "viewer"))
    path, _sep, query = tail.partition("?")
    url = f"/campaigns/{fed.campaign.pk}/summary/210200/{form}/{path}?{query}"

    def run():
        response = client.get(url)
        assert response.status_code == 200
        if not path:
            assert "基层工会3" in response.content.decode()  # named among the missing

    few, many = counts(fed, run, form=form, missing_every=3)
    assert few == many


def test_api_queries_with_missing_units_and_branches(fed, api):
    previous_campaign(fed)
    client = api(fed.token("city", "viewer"))
    url = f"/api/v1/campaigns/{fed.campaign.pk}/summary/210200/F1?status=submitted"

    def run():
        assert client.get(url).status_code == 200

    few, many = counts(fed, run, form="F1", missing_every=3)
    assert few == many
    body = client.get(url).json()
    assert "2102G0003" in body["missing"] and "2102G0004" in body["units"]
    assert body["branches"]["industry"] == ["2102C01"]
    assert "2102G0004" in body["branches"]["territory"]


def test_the_unit_table_is_read_a_page_at_a_time(fed, login):
    """More units than a page: each page shows its share, in the order asked, and every unit
    comes once over the pages."""
    filled = add_units(fed, PAGE_SIZE + 7)
    client = login(fed.user("city", "viewer"))
    base = f"/campaigns/{fed.campaign.pk}/summary/210200/F2/table/?sort=05A&dir=desc"
    seen = []
    for number in (1, 2):
        page = client.get(f"{base}&page={number}").content.decode()
        seen += [code for code in filled if f"基层工会{int(code[5:])}<" in page]
        assert f"第 {number} / 2 页" in page
    assert len(seen) == len(set(seen)) == PAGE_SIZE + 7
    first = client.get(base).content.decode()
    top = max(filled, key=lambda code: filled[code]["05A"])
    assert f"基层工会{int(top[5:])}<" in first
