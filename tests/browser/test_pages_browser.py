"""The main pages in a real browser, on a desktop (1366×900) and a phone (390×844), as the users
who read them: each role's home, the entry page (as its filler, editable, and as its reviewer),
the 汇总 with its unit-by-blank table, completeness, the register list and a household's page,
the payment batches and a batch, coverage, the funds pages and the 12351 cases. On every one the
page never scrolls sideways, names in tables keep at least four characters per line, axe-core
finds nothing critical, serious or moderate, every chart is drawn with the numbers its JSON
endpoint answers, and the Content-Security-Policy holds. One login per role and viewport."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from .audit import drawn_charts, number, page_problems
from .conftest import watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [(1366, 900), (390, 844)]
CURRENT = {"05A": "10", "05B": "4", "05C": "3", "05D": "2", "05E": "1"}
CURRENT |= {"06A": "10", "06B": "2", "06C": "1", "04C": "5"}  # all paid out (F1-W01)
PREVIOUS = {"05A": "6", "05B": "1", "05C": "2", "05D": "2", "05E": "1"}
PREVIOUS |= {"06A": "6", "06B": "3", "06C": "1", "04C": "5"}
RAISED, PAID_PARTS, PAID = ("05B", "05C", "05D", "05E"), ("06B", "06C"), "06A"


@pytest.fixture
def fed_tx(transactional_db, settings, tmp_path):
    from chunfeng.campaigns.services import campaign_create
    from chunfeng.cases.services import case_create
    from chunfeng.funds.receipts import receipt_create
    from tests.fixtures import build_federation, file_report
    from tests.funds.helpers import batch, household, pay

    settings.MEDIA_ROOT = tmp_path
    fed = build_federation()
    earlier = campaign_create(
        owner=fed.city,
        name="2011年春风行动",
        period_start=dt.date(2010, 12, 20),
        period_end=dt.date(2011, 2, 2),
        deadline=dt.date(2011, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs],
    )
    file_report(SimpleNamespace(campaign=earlier), fed.zs, "F1", PREVIOUS)
    file_report(fed, fed.zs, "F1", CURRENT)
    file_report(fed, fed.xg, "F1", CURRENT | {"05A": "12", "05E": "3", "06A": "12"})
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
    household(fed.zs_g1, 2, name="王建")
    fed.household = one
    fed.batch = batch(fed, fed.zs_g1, filler)
    pay(fed.batch, filler, one, "500.00")
    case_create(
        intake_unit=fed.city,
        data={
            "caller_name": "王大山",
            "caller_phone": "13904110001",
            "request_type": "service",
            "category": "wages",
            "description": "工地拖欠三个月工资",
            "region": "210202001",
        },
        actor=fed.user("city", "filler"),
    )
    return fed


def pages_of(fed) -> dict[str, list[str]]:
    """Who reads which pages (each role's home first)."""
    c = fed.campaign.pk
    summary = f"/campaigns/{c}/summary/210200/F1/?status=submitted"
    register = ["/register/", f"/register/{fed.household.pk}/"]
    funds = [
        f"/funds/batches/?campaign={c}",
        f"/funds/batches/{fed.batch.pk}/",
        f"/funds/coverage/?campaign={c}",
        f"/funds/?campaign={c}",
        f"/funds/receipts/?campaign={c}",
    ]
    return {
        "city_reviewer": [
            "/",
            summary,
            f"/campaigns/{c}/summary/210200/F1/table/?status=submitted",
            f"/campaigns/{c}/completeness/",
            f"/campaigns/{c}/reports/210202/F1/",  # the entry page, as its reviewer
            *register,
            *funds,
        ],
        "city_admin": ["/"],
        "city_viewer": ["/"],  # the auditor
        "city_filler": ["/", "/cases/"],  # the 12351 hotline is taken at the city
        "zs_reviewer": ["/"],
        "zs_filler": ["/", f"/campaigns/{c}/reports/210202/F2/"],  # the entry page, editable
        "zsg_filler": ["/", *register, *funds[1:3]],
        "zsg_viewer": ["/"],
    }


def sign_in(page, base: str, username: str) -> None:
    from tests.fixtures import PASSWORD

    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def menu_problems(page, width: int, where: str) -> list[str]:
    """On a phone the menu sits behind the toggler, opens, and keeps within the screen."""
    if page.locator("#main-nav").is_visible():
        return [f"{where}: the menu is open on a phone"]
    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.show")
    header = page.locator("header").bounding_box()
    return [] if header and header["width"] <= width else [f"{where}: the header is too wide"]


@pytest.mark.parametrize("width, height", VIEWPORTS)
def test_every_main_page(fed_tx, browser, live_server, width, height):
    fed = fed_tx
    context, page, problems = watched_page(browser, width, height, timeout=15_000)
    for username, paths in pages_of(fed).items():
        sign_in(page, live_server.url, username)
        for path in paths:
            where = f"{username} {path} at {width}px"
            if path != "/":
                page.goto(live_server.url + path)
            problems += page_problems(page, where)
            if "/summary/" in path and "/table/" not in path:
                problems += summary_chart_problems(page, where)
            grid = page.locator("#status-grid")
            if grid.count() and not grid.locator("td.cell-name").count():
                problems.append(f"{where}: the status grid's unit names are not marked")
            if path == "/" and width < 500:
                problems += menu_problems(page, width, where)
    context.close()
    assert not problems, "\n".join(problems)


CHANGES = """() => Object.fromEntries(Array.from(document.querySelectorAll('#changes tbody tr'))
  .map(tr => [tr.cells[0].textContent.trim(), tr.cells[3].textContent.trim()]))"""


def summary_chart_problems(page, where: str) -> list[str]:
    """The composition chart's columns are the 汇总's own figures: this campaign's from the
    form's totals (#t-05B …), the previous one's from the comparison table; "other" paid is
    06A − 06B − 06C. (That the chart equals its JSON, page_problems checked.)"""
    charts = [c for c in drawn_charts(page) if "/composition.json" in c["src"]]
    if len(charts) != 1:
        return [f"{where}: expected one composition chart, found {len(charts)}"]
    drawn = charts[0]["series"]
    this = {code: number(page.text_content(f"#t-{code}")) for code in (*RAISED, PAID, *PAID_PARTS)}
    before = {code: number(v) for code, v in page.evaluate(CHANGES).items()}
    expected = []
    for figures in (this, before):
        column = [figures[c] or 0.0 for c in (*RAISED, *PAID_PARTS)]
        paid = figures[PAID] or 0.0
        column.append(round(paid - sum(figures[c] or 0.0 for c in PAID_PARTS), 4))
        expected.append(column)
    got = [[round(s["data"][i] and number(s["data"][i]) or 0.0, 4) for s in drawn] for i in (0, 1)]
    if got != expected:
        return [f"{where}: the composition chart drew {got}, the 汇总 says {expected}"]
    if expected[0][0] != 8.0 or expected[1][0] != 1.0:  # 4+4 this year, 1 the year before
        return [f"{where}: the 汇总 figures are not the ones filed: {expected}"]
    return []
