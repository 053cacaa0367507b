"""Each role's home page in a real browser, on a desktop (1366×900) and a phone (390×844): the
page never scrolls sideways, names in tables keep at least four characters per line, every chart
is drawn with the numbers its JSON endpoint answers, and axe-core finds nothing critical or
serious (nor moderate). The Content-Security-Policy holds (a violation fails the test)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from .conftest import watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "axe-4.14.1.min.js").read_text(encoding="utf-8")
VIEWPORTS = [(1366, 900), (390, 844)]
HOMES = ("city_reviewer", "city_admin", "city_viewer", "zs_filler", "zsg_filler")

DRAWN = """() => Array.from(document.querySelectorAll('[data-chart-src]')).map(el => {
  const chart = echarts.getInstanceByDom(el);
  return {src: el.getAttribute('data-chart-src'), canvas: !!el.querySelector('canvas'),
          series: chart.getOption().series.map(s => ({name: s.name, data: s.data}))};
})"""
JSON = """async (src) => (await fetch(src, {credentials: 'same-origin'})).json()"""
NARROWEST_NAME = """() => {
  const cells = document.querySelectorAll('table.grid td.cell-name');
  let narrowest = Infinity;
  cells.forEach(td => {
    if (!td.offsetParent || !td.textContent.trim()) return;
    const size = parseFloat(getComputedStyle(td).fontSize);
    narrowest = Math.min(narrowest, td.getBoundingClientRect().width / size);
  });
  return narrowest;
}"""


@pytest.fixture
def fed_tx(transactional_db, settings, tmp_path):
    from chunfeng.funds.receipts import receipt_create
    from tests.fixtures import build_federation, file_report
    from tests.funds.helpers import batch, household, pay

    settings.MEDIA_ROOT = tmp_path
    fed = build_federation()
    file_report(fed, fed.zs, "F1")
    receipt_create(
        unit=fed.zs,
        campaign=fed.campaign,
        source="union",
        amount="1000",
        received_on=dt.date(2012, 1, 2),
        actor=fed.user("zs", "filler"),
    )
    filler = fed.user("zsg", "filler")
    one = household(fed.zs_g1, 1, name="欧阳明月")
    household(fed.zs_g1, 2)
    pay(batch(fed, fed.zs_g1, filler), filler, one, "500.00")
    return fed


def number(value):
    return None if value is None else float(value)


def check_home(page, base: str) -> None:
    page.goto(base + "/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    charts = page.locator("[data-chart-src]").count()
    if charts:
        # a selector, not wait_for_function: the policy forbids the eval that one needs
        page.locator("[data-chart-drawn]").nth(charts - 1).wait_for()
        for drawn in page.evaluate(DRAWN):
            assert drawn["canvas"], drawn["src"]
            answer = page.evaluate(JSON, drawn["src"])
            expected = [
                {"name": s["name"], "data": [number(v) for v in s["data"]]}
                for s in answer["series"]
                if s["kind"] != "table"
            ]
            got = [
                {"name": s["name"], "data": [number(v) for v in s["data"]]} for s in drawn["series"]
            ]
            assert got == expected, drawn["src"]
        assert page.locator("#status-grid td.cell-name").count() > 0  # names are recognised
    narrowest = page.evaluate(NARROWEST_NAME)
    assert narrowest >= 4, f"a name cell is {narrowest:.1f} characters wide"
    page.evaluate(AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    bad = [v for v in found if v["impact"] in ("critical", "serious", "moderate")]
    assert not bad, bad


@pytest.mark.parametrize("width, height", VIEWPORTS)
def test_each_roles_home(fed_tx, browser, live_server, width, height):
    from tests.fixtures import PASSWORD

    context, page, problems = watched_page(browser, width, height, timeout=15_000)
    for key in HOMES:
        context.clear_cookies()
        page.goto(live_server.url + "/login/")
        page.fill("input[name=username]", key)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        check_home(page, live_server.url)
        if width < 500:  # the phone: the menu sits behind the toggler and opens
            assert not page.locator("#main-nav").is_visible()
            page.click(".navbar-toggler")
            page.wait_for_selector("#main-nav.show")
            header = page.locator("header").bounding_box()
            assert header and header["width"] <= width
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("width, height", VIEWPORTS)
def test_wide_pages_scroll_inside_their_tables(fed_tx, browser, live_server, width, height):
    """The 汇总, its unit-by-blank table, completeness, a report, the register and batch lists: the
    page itself never scrolls sideways and names keep at least four characters per line."""
    from tests.fixtures import PASSWORD

    fed = fed_tx
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "city_reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    summary = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"
    for path in (
        summary + "?status=submitted",
        summary + "table/?status=submitted",
        f"/campaigns/{fed.campaign.pk}/completeness/",
        f"/campaigns/{fed.campaign.pk}/reports/210202/F1/",  # the entry page, as its reviewer
        "/households/",
        f"/funds/batches/?campaign={fed.campaign.pk}",
    ):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        narrowest = page.evaluate(NARROWEST_NAME)
        assert narrowest >= 4, f"{path}: a name cell is {narrowest:.1f} characters wide"
    context.close()
