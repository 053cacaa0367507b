"""The 汇总 marks a figure as differing from the real-name records ("[记录 N]") only where the
units it adds up keep those records: in a city where 中山区 keeps a register and pays through it
and 西岗区 keeps nothing, the city's totals carry no mark (the records would miss all of
西岗区's), 中山区 is compared on its own and 西岗区 never. Once 西岗区 keeps records too, the
totals are compared again.

The comparison is made on request only (``records/``): through HTMX its section, the marks
swapped in out of band onto the totals; without JavaScript the 汇总 page with them. The 汇总
page itself offers it and computes nothing from the records."""

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
    """The city's 汇总 of 附件1 (both districts' reports, submitted) as its reviewer reads it:
    ``tail`` "" is the page, "records/" the comparison (``htmx``: the section alone)."""
    filler = fed.user("zsg", "filler")
    pay(batch(fed, fed.zs_g1, filler), filler, household(fed.zs_g1, 1), "500.00")
    file_report(fed, fed.zs, "F1", FILED)
    file_report(fed, fed.xg, "F1", FILED | {"05A": "12", "05E": "3", "06A": "12"})
    client = login(fed.user("city", "reviewer"))
    base = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"

    def get(tail="", query="", htmx=False):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(f"{base}{tail}?status=submitted{query}", headers=headers)
        assert response.status_code == 200
        page = response.content.decode()
        assert ("<html" in page) is not htmx
        return page

    return get


def test_the_page_offers_the_comparison_without_making_it(fed, city_summary):
    page = city_summary()
    assert 'id="summary-compare"' in page and 'id="record-diffs"' not in page
    url = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/records/?status=submitted"
    assert f'hx-get="{url}"' in page and f'href="{url}#summary-compare"' in page
    assert 'hx-target="#summary-compare"' in page
    assert 'class="diff-note"' not in page and "汇总数与实名记录一致" not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_totals_are_not_marked_when_a_unit_keeps_no_records(fed, city_summary, htmx):
    page = city_summary("records/", htmx=htmx)
    assert 'class="diff-note"' not in page and "has-diff" not in page
    assert "hx-swap-oob" not in page
    assert 'id="record-diffs"' in page
    assert "汇总数与实名记录一致" in page  # nothing compared is different


@pytest.mark.parametrize("htmx", [False, True])
def test_only_the_unit_keeping_records_is_compared(fed, city_summary, htmx):
    page = city_summary("records/")
    link = (
        f"/campaigns/{fed.campaign.pk}/summary/210200/F1/records/?status=submitted&amp;unit_diffs=1"
    )
    assert f'href="{link}"' in page and "<h3>中山区总工会</h3>" not in page
    page = city_summary("records/", "&unit_diffs=1", htmx=htmx)
    assert "<h3>中山区总工会</h3>" in page  # 10 万元 reported, 0.05 paid through the register
    assert "0.0500" in page
    assert "<h3>西岗区总工会</h3>" not in page  # keeps no records: nothing to compare with


def test_totals_are_marked_once_every_unit_keeps_records(fed, city_summary):
    filler = fed.user("xg", "filler")
    paid = household(fed.xg_g1, 2, region="210203")
    pay(batch(fed, fed.xg, filler), filler, paid, "300.00")
    mark = '<span class="diff-note">[记录 0.0800]</span>'
    assert mark not in city_summary()  # not on the page itself: on request
    page = city_summary("records/")
    # 06A: 22 万元 reported, 0.08 万元 paid through the register
    assert 'id="t-06A"' in page and mark in page
    assert 'class="total has-diff" id="t-06A"' in page
    assert "<td>06A</td>" in page  # and in the comparison's table
    # through HTMX: the section, and each marked total swapped in out of band, whole
    part = city_summary("records/", htmx=True)
    assert "<td>06A</td>" in part
    assert part.count("hx-swap-oob") == page.count('class="diff-note"') > 1  # one per mark
    swapped = part[part.index("<span hx-swap-oob=\"outerHTML:[id='t-06A']\">") :]
    assert swapped.index('class="total has-diff" id="t-06A"') < swapped.index(mark)
    assert 'hx-target="#drill"' in swapped  # the total still opens its drill-down
