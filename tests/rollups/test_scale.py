"""The 汇总 at scale: its totals are summed by the database per branch (exactly, on SQLite
too), and the selector, the API answer and the page each use a number of queries that does
not grow with the number of reporting units (5 against 30)."""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.campaigns.selectors import campaign_form
from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.services import orgunit_create
from chunfeng.reports.models import Report, ReportStatus, ReportValue
from chunfeng.rollups.selectors import summary_for


def add_units(fed, n: int, seed: int = 7, start: int = 0) -> dict[str, dict[str, Decimal]]:
    """``n`` grassroots unions directly under the city, each with an approved F2 report."""
    rng = random.Random(seed)
    cform = campaign_form(fed.campaign, "F2")
    filled: dict[str, dict[str, Decimal]] = {}
    for i in range(start, start + n):
        unit = orgunit_create(
            code=f"2102G{i:04d}", name=f"基层工会{i}", kind=UnitKind.GRASSROOTS, parent=fed.city
        )
        fed.campaign.recipients.add(unit)
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


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def counts(fed, run) -> tuple[int, int]:
    add_units(fed, 5)
    run()  # once first: a first request fills per-process caches (form definitions, session)
    few = queries(run)
    add_units(fed, 25, seed=8, start=5)
    return few, queries(run)


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
