"""The 汇总 marks a figure as differing from the real-name records ("[记录 N]") only where the
units it adds up keep those records: in a city where 中山区 keeps a register and pays through it
and 西岗区 keeps nothing, the city's totals carry no mark (the records would miss all of
西岗区's), 中山区 is compared on its own and 西岗区 never. Once 西岗区 keeps records too, the
totals are compared again."""

from __future__ import annotations

import pytest

from tests.fixtures import file_report
from tests.funds.helpers import batch, household, pay

FILED = {"05A": "10", "05B": "4", "05C": "3", "05D": "2", "05E": "1"}
FILED |= {"06A": "10", "06B": "2", "06C": "1", "04C": "5"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def city_summary(fed, login):
    """The city's 汇总 of 附件1 (both districts' reports, submitted) as its reviewer reads it."""
    filler = fed.user("zsg", "filler")
    pay(batch(fed, fed.zs_g1, filler), filler, household(fed.zs_g1, 1), "500.00")
    file_report(fed, fed.zs, "F1", FILED)
    file_report(fed, fed.xg, "F1", FILED | {"05A": "12", "05E": "3", "06A": "12"})
    client = login(fed.user("city", "reviewer"))
    url = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/?status=submitted"
    return lambda query="": client.get(url + query).content.decode()


def test_totals_are_not_marked_when_a_unit_keeps_no_records(fed, city_summary):
    page = city_summary()
    assert 'class="diff-note"' not in page and "has-diff" not in page
    assert "汇总数与实名记录一致" in page  # nothing compared is different


def test_only_the_unit_keeping_records_is_compared(fed, city_summary):
    page = city_summary("&unit_diffs=1")
    assert "<h3>中山区总工会</h3>" in page  # 10 万元 reported, 0.05 paid through the register
    assert "0.0500" in page
    assert "<h3>西岗区总工会</h3>" not in page  # keeps no records: nothing to compare with


def test_totals_are_marked_once_every_unit_keeps_records(fed, city_summary):
    filler = fed.user("xg", "filler")
    paid = household(fed.xg_g1, 2, region="210203")
    pay(batch(fed, fed.xg, filler), filler, paid, "300.00")
    page = city_summary()
    # 06A: 22 万元 reported, 0.08 万元 paid through the register
    assert 'id="t-06A"' in page and '<span class="diff-note">[记录 0.0800]</span>' in page
