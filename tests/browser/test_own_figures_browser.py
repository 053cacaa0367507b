"""The city's filler, in a real browser at desktop and phone sizes, fills the city's own
figures (本级) and reads 本级 / 下级合计 / 合计 on the 汇总 — with the industrial union's
overlapping workers shown but not added to 01A."""

import pytest
from playwright.sync_api import expect

from chunfeng.reports.workflow import report_approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fed_tx(transactional_db, settings, tmp_path):
    from tests.fixtures import build_federation, file_report

    settings.MEDIA_ROOT = tmp_path / "media"
    fed = build_federation()
    reviewer = fed.user("city", "reviewer")
    for unit, values in (
        (fed.zs, {"01A": 100, "05A": "1.2345", "05E": "1.2345", "06A": "1.2345", "04C": 1}),
        (fed.industry, {"01A": 30, "05A": "10", "05E": "10", "06A": "10", "04C": 1}),
    ):
        report_approve(report=file_report(fed, unit, values=values), actor=reviewer)
    return fed


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_the_city_files_its_own_figures_and_reads_the_totals(
    fed_tx, sign_in, live_server, width, height
):
    fed = fed_tx
    page = sign_in(fed.user("city", "filler"))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/campaigns/{fed.campaign.pk}/summary/210200/F1/")
    page.click("#fill-own")
    page.wait_for_url("**/reports/210200/F1/own/")
    expect(page.locator("#filing-kind")).to_contain_text("本级")
    for code, value in (("05A", "5"), ("05E", "5"), ("06A", "5"), ("04C", "2")):
        page.fill(f"[name='v-{code}']", value)
    page.fill("[name='v-01A']", "5")
    page.fill("[name='v-01A.2']", "9")  # more migrants than workers: the same live check
    page.locator("#checklist li.error", has_text="F1-01").wait_for()
    page.fill("[name='v-01A']", "12")
    expect(page.locator("#checklist li.error", has_text="F1-01")).to_have_count(0)
    page.click("button:has-text('保存草稿')")
    page.locator(".messages", has_text="草稿已保存").wait_for()

    page.goto(f"{live_server.url}/campaigns/{fed.campaign.pk}/summary/210200/F1/")
    row = page.locator("#split-05A")
    row.scroll_into_view_if_needed()
    expect(row.locator("td.own")).to_have_text("5.0000")
    expect(row.locator("td.children")).to_have_text("11.2345")
    expect(row.locator("td.total")).to_have_text("16.2345")
    workers = page.locator("#split-01A")
    expect(workers.locator("td.own")).to_have_text("12")
    expect(workers.locator("td.children")).to_have_text("100")  # the 30 overlap: not added
    expect(workers.locator("td.total")).to_have_text("112")
    expect(workers.locator("td.not-counted")).to_have_text("30")
    expect(workers.locator("td.rule")).to_contain_text("属地")
    expect(page.locator("#t-01A")).to_have_text("112")
    # the page itself does not scroll sideways; the wide table scrolls in its own box
    body = page.locator("body").bounding_box()
    assert body is not None and body["width"] <= width
    page.locator("#own-children-total").screenshot(path=f"test-artifacts/own-figures-{width}.png")
