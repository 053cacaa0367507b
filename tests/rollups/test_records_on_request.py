"""The 汇总 page does not read the real-name records: its queries are the same with 2 and with
8 households paid (and none touches the register), while the 表实相符 comparison, made on
request (``records/``, HTMX or not), reads them in a number of queries that grows neither with
the households nor with the reporting units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.register.models import Household
from tests.fixtures import file_report
from tests.funds.helpers import batch, household, pay
from tests.rollups.test_scale import add_units, counts, previous_campaign

FILED = {"05A": "10", "05B": "4", "05C": "3", "05D": "2", "05E": "1"}
FILED |= {"06A": "10", "06B": "2", "06C": "1", "04C": "5"}
HOUSEHOLDS = Household._meta.db_table


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def captured(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [q["sql"] for q in queries]


def pay_households(fed, start: int, n: int) -> None:
    """``n`` households on file in each district's grassroots union, each paid once."""
    for unit, district, region in ((fed.zs_g1, fed.zs, "210202"), (fed.xg_g1, fed.xg, "210203")):
        filler = fed.user("zs" if district == fed.zs else "xg", "filler")
        paying = batch(fed, district, filler, name=f"第{start}批")
        for seq in range(start, start + n):
            pay(paying, filler, household(unit, seq, region=region), "100.00")


@pytest.fixture
def city(fed, login):
    file_report(fed, fed.zs, "F1", FILED)
    file_report(fed, fed.xg, "F1", FILED)
    previous_campaign(fed)
    client = login(fed.user("city", "reviewer"))
    base = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"

    def get(tail="", **headers):
        def run():
            response = client.get(f"{base}{tail}?status=submitted", headers=headers)
            assert response.status_code == 200
            return response.content.decode()

        return run

    return get


@pytest.mark.parametrize(
    ("tail", "headers", "reads_records"),
    [
        ("", {}, False),
        ("records/", {}, True),
        ("records/", {"HX-Request": "true"}, True),
    ],
)
def test_queries_do_not_grow_with_households_and_lines(fed, city, tail, headers, reads_records):
    run = city(tail, **headers)
    pay_households(fed, 1, 2)
    run()  # once first: per-process caches
    few = captured(run)
    pay_households(fed, 100, 6)
    many = captured(run)
    assert len(few) == len(many)
    # the page itself never reads the register; the comparison does (every unit keeps records)
    assert any(HOUSEHOLDS in sql for sql in many) is reads_records
    if reads_records:
        assert "[记录 " in run()  # 8 households paid 100 元 each, 10 万元 reported


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_comparison_does_not_grow_with_units(fed, city, headers):
    """5 against 30 reporting units of 附件1 (every third missing), beside the districts that
    keep records."""
    pay_households(fed, 1, 2)
    run = city("records/", **headers)
    few, many = counts(fed, run, form="F1", missing_every=3)
    assert few == many
    assert 'id="record-diffs"' in run()


def test_the_page_offers_the_comparison_only_with_something_to_compare(fed, login):
    """No button where no report is summed yet: the comparison would have nothing to say."""
    client = login(fed.user("city", "viewer"))
    url = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"
    assert 'id="summary-compare"' not in client.get(url).content.decode()
    add_units(fed, 2, form="F1")
    assert 'id="summary-compare"' in client.get(url).content.decode()
