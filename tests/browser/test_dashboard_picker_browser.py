"""The home's unit picker in a real browser: the city's reviewer picks a district, the page
shows that district's dashboard and every chart is drawn from the district's JSON."""

from __future__ import annotations

import pytest

from .conftest import watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_picking_a_district_redraws_the_dashboard(
    transactional_db, browser, live_server, width, height, settings, tmp_path
):
    from tests.fixtures import PASSWORD, build_federation

    settings.MEDIA_ROOT = tmp_path
    fed = build_federation()
    context, page, problems = watched_page(browser, width, height, timeout=15_000)
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "city_reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.select_option("#dashboard-pick select[name=unit]", fed.zs.code)
    page.wait_for_url(f"**unit={fed.zs.code}**")
    assert page.locator("h1").inner_text().endswith(fed.zs.name)
    sources = page.locator("[data-chart-src]")
    assert sources.count() == 5
    page.locator("[data-chart-drawn]").nth(sources.count() - 1).wait_for()
    for i in range(sources.count()):
        assert f"unit={fed.zs.code}" in (sources.nth(i).get_attribute("data-chart-src") or "")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    page.click(f"#unit-trail a:has-text('{fed.city.name}')")
    page.wait_for_url(f"**unit={fed.city.code}**")
    assert page.locator("h1").inner_text().endswith(fed.city.name)
    context.close()
    assert not problems, problems
