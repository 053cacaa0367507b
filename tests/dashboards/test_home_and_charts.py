"""The dashboards: each role's home, the chart JSON (the page's and the API's are one), the
figures equal to those of the selectors of the apps below, and the scope of each user."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from chunfeng.dashboards import selectors as s
from chunfeng.funds.coverage import coverage
from chunfeng.funds.ledger import ledger_for
from chunfeng.funds.receipts import receipt_create
from chunfeng.reports.completeness import rates_for
from tests.fixtures import file_report
from tests.funds.helpers import batch, household, pay

CHARTS = ("filing-units", "filing-forms", "money", "payments-daily", "coverage")


def chart_url(campaign, name, **query):
    url = reverse("dashboard-chart", args=[campaign.pk, name])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def api_url(campaign, name, **query):
    url = f"/api/v1/dashboards/{campaign.pk}/charts/{name}"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def money(fed):
    """中山区 raised 1000 (government) and 300 (union), 西岗区 200 (donation); 中山区's
    grassroots union paid two households 500 and 250 on two days."""
    zs_filler = fed.user("zs", "filler")
    for unit, source, amount in ((fed.zs, "government", "1000"), (fed.zs, "union", "300")):
        receipt_create(
            unit=unit,
            campaign=fed.campaign,
            source=source,
            amount=amount,
            received_on=dt.date(2012, 1, 2),
            actor=zs_filler,
        )
    receipt_create(
        unit=fed.xg,
        campaign=fed.campaign,
        source="donation",
        amount="200",
        received_on=dt.date(2012, 1, 2),
        actor=fed.user("xg", "filler"),
    )
    g_filler = fed.user("zsg", "filler")
    one, two = household(fed.zs_g1, 1), household(fed.zs_g1, 2)
    household(fed.zs_g1, 3)  # on file, not reached
    b = batch(fed, fed.zs_g1, g_filler)
    pay(b, g_filler, one, "500.00", on=dt.date(2012, 1, 5))
    pay(b, g_filler, two, "250.00", on=dt.date(2012, 1, 9))


@pytest.mark.parametrize("role", ["filler", "reviewer", "admin", "viewer"])
def test_city_home_shows_the_dashboard(fed, login, role):
    page = login(fed.user("city", role)).get("/")
    text = page.content.decode()
    assert page.status_code == 200
    for name in CHARTS:
        assert chart_url(fed.campaign, name) in text
    assert 'id="status-grid"' in text and 'id="overview"' in text
    shortcuts = text.split('id="shortcuts"')[1] if 'id="shortcuts"' in text else ""
    assert (reverse("id-access-list") in shortcuts) == (role in ("viewer", "admin"))
    assert (f'href="{reverse("user-list")}"' in shortcuts) == (role == "admin")


def test_grassroots_home_says_what_to_do_next(fed, login, money):
    page = login(fed.user("zsg", "filler")).get("/")
    text = page.content.decode()
    assert 'id="next-steps"' in text and 'id="dashboard"' not in text
    assert "已走访或帮扶 2 / 在档 3 户" in text  # paid households count as helped
    assert "1 户困难职工家庭尚未走访或帮扶" in text


def test_district_home_counts_its_own_subtree(fed, login, money):
    page = login(fed.user("zs", "reviewer")).get("/")
    assert 'id="dashboard"' in page.content.decode()
    found = login(fed.user("zs", "reviewer")).get(chart_url(fed.campaign, "coverage")).json()
    assert found["categories"] == [fed.zs_g1.name]
    assert found["series"][0]["data"] == ["66.7"]


@pytest.mark.parametrize("name", CHARTS)
def test_the_page_and_the_api_answer_the_same_chart(fed, login, api, money, name):
    page = login(fed.user("city", "reviewer")).get(chart_url(fed.campaign, name))
    token = fed.token("city", "reviewer")
    answer = api(token).get(api_url(fed.campaign, name))
    assert page.status_code == answer.status_code == 200
    assert (
        page.json()
        == answer.json()
        == json.loads(json.dumps(s.CHARTS[name](fed.campaign, fed.city)))
    )


def test_filing_rates_equal_the_completeness_figures(fed, login):
    file_report(fed, fed.zs, "F1")
    file_report(fed, fed.xg, "F1", submit=False)
    found = login(fed.user("city", "reviewer")).get(chart_url(fed.campaign, "filing-units")).json()
    expected = {}
    for unit in (fed.zs, fed.xg, fed.industry):  # the completeness page's own (SQL) count
        rate = rates_for(fed.campaign, unit).together[-1]
        expected[unit.name] = [str(rate.filing_rate), str(rate.timely_rate)]
    got = {c: [sr["data"][i] for sr in found["series"]] for i, c in enumerate(found["categories"])}
    assert got == expected
    assert got[fed.zs.name][0] == "50.0" and got[fed.xg.name][0] == "0.0"
    by_form = login(fed.user("city", "reviewer")).get(chart_url(fed.campaign, "filing-forms"))
    assert by_form.json()["series"][0]["data"][0] == str(Decimal(100) / 3)[:4]  # 1 of 3: 33.3


def test_money_equals_the_ledger_and_the_table(fed, login, money):
    client = login(fed.user("city", "reviewer"))
    found = client.get(chart_url(fed.campaign, "money")).json()
    ledger = ledger_for(fed.user("city", "reviewer"), fed.campaign)
    by_unit = {r.unit.name: r.total for r in ledger.children}
    paid = next(x for x in found["series"] if x["stack"] == "paid")["data"]
    balance = next(x for x in found["series"] if x["stack"] == "balance")["data"]
    for i, name in enumerate(found["categories"]):
        raised = sum(Decimal(x["data"][i]) for x in found["series"] if x["stack"] == "raised")
        assert raised == by_unit[name].raised
        assert Decimal(paid[i]) == by_unit[name].paid
        assert Decimal(balance[i]) == by_unit[name].balance
    zs = found["categories"].index(fed.zs.name)
    assert (paid[zs], balance[zs]) == ("750.00", "550.00")
    page = client.get("/").content.decode()
    assert "750.00" in page and "550.00" in page  # the table under the chart


def test_payments_per_day_run_up_to_the_festival(fed, login, money):
    found = login(fed.user("city", "viewer")).get(chart_url(fed.campaign, "payments-daily")).json()
    days = found["categories"]
    daily, running = found["series"][0]["data"], found["series"][1]["data"]
    assert days[0] == "2011-12-20" and days[-1] == "2012-01-23"  # start … 春节
    assert (
        daily[days.index("2012-01-05")] == "500.00" and daily[days.index("2012-01-09")] == "250.00"
    )
    assert running[-1] == "750.00"
    assert {m["name"]: m["at"] for m in found["marks"]} == {
        "活动结束": "2012-01-22",
        "春节": "2012-01-23",
    }


def test_coverage_equals_the_coverage_selector(fed, login, money):
    found = login(fed.user("city", "admin")).get(chart_url(fed.campaign, "coverage")).json()
    rows = coverage(fed.campaign, fed.city).children
    assert found["categories"] == [r.unit.name for r in rows]
    assert found["series"][0]["data"] == [None if r.rate is None else str(r.rate) for r in rows]


def test_overview(fed, login, api, money):
    found = api(fed.token("city", "reviewer")).get(f"/api/v1/dashboards/{fed.campaign.pk}/overview")
    data = found.json()
    assert data["deadline"] == "2012-01-08" and data["spring_festival"] == "2012-01-23"
    assert data["open_flags"] == 0 and data["open_cases"] == 0


# ---- scope ------------------------------------------------------------------------------------


def test_a_district_cannot_read_another_district(fed, login, api):
    client = login(fed.user("zs", "reviewer"))
    assert client.get(chart_url(fed.campaign, "money", unit=fed.xg.code)).status_code == 404
    assert client.get(chart_url(fed.campaign, "money", unit=fed.city.code)).status_code == 404
    assert client.get(chart_url(fed.campaign, "money", unit=fed.zs_g1.code)).status_code == 200
    token = fed.token("zs", "reviewer")
    assert api(token).get(api_url(fed.campaign, "money", unit=fed.xg.code)).status_code == 404
    assert api(token).get(api_url(fed.campaign, "nonsense")).status_code == 404
    assert client.get(chart_url(fed.campaign, "nonsense")).status_code == 404


def test_a_campaign_out_of_reach_is_404(fed, login, api):
    client = login(fed.user("zs", "reviewer"))
    assert client.get(reverse("dashboard-chart", args=[99999, "money"])).status_code == 404
    token = fed.token("zs", "reviewer")
    assert api(token).get("/api/v1/dashboards/99999/charts/money").status_code == 404
    assert api(None).get(api_url(fed.campaign, "money")).status_code == 401


# ---- the unit picker: a unit with units below it looks at any dashboard of its subtree -----


def test_city_picks_a_districts_dashboard(fed, login, money):
    """The city's reviewer picks 中山区: the heading, the breadcrumb back to the city, the
    charts drawn from 中山区's subtree (their URLs carry the unit) and the grid of its units."""
    client = login(fed.user("city", "reviewer"))
    home = client.get("/").content.decode()
    picker = home.split('id="dashboard-pick"')[1].split("</form>")[0]
    assert f'value="{fed.zs.code}"' in picker  # 中山区 has a grassroots union below it
    assert f'value="{fed.zs_g1.code}"' not in picker  # grassroots homes are one step further
    page = client.get("/", {"campaign": fed.campaign.pk, "unit": fed.zs.code})
    text = page.content.decode()
    assert page.status_code == 200
    assert f"<h1>首页 · {fed.zs.name}</h1>" in text
    trail = text.split('id="unit-trail"')[1].split("</nav>")[0]
    assert f"unit={fed.city.code}" in trail and fed.city.name in trail
    assert 'aria-current="page">' + fed.zs.name in trail
    for name in CHARTS:
        assert chart_url(fed.campaign, name, unit=fed.zs.code) in text
    grid = text.split('id="status-grid"')[1].split("</section>")[0]
    assert fed.xg.name not in grid and fed.zs.name in grid
    money_chart = client.get(chart_url(fed.campaign, "money", unit=fed.zs.code)).json()
    assert money_chart == json.loads(
        json.dumps(s.money_by_unit(fed.campaign, fed.zs), cls=DjangoJSONEncoder)
    )
    assert money_chart["categories"] == [f"{fed.zs.name}（本级）", fed.zs_g1.name]


def test_city_picks_a_grassroots_unions_work(fed, login, money):
    """A grassroots union picked from above shows its next steps, to be read, not filled."""
    client = login(fed.user("city", "reviewer"))
    text = client.get("/", {"unit": fed.zs_g1.code}).content.decode()
    assert 'id="next-steps"' in text and 'id="dashboard"' not in text
    steps = text.split('id="next-steps"')[1].split("</section>")[0]
    assert "困难职工家庭：已走访或帮扶 2 / 在档 3 户" in steps
    assert "填报" not in steps and f"unit={fed.zs_g1.code}" in steps
    trail = text.split('id="unit-trail"')[1].split("</nav>")[0]
    assert fed.city.name in trail and fed.zs.name in trail


@pytest.mark.parametrize("code", ["210200", "210203", "210203001"])
def test_a_district_cannot_pick_outside_its_subtree(fed, login, code):
    client = login(fed.user("zs", "reviewer"))
    assert client.get("/", {"unit": code}).status_code == 404
    assert client.get(chart_url(fed.campaign, "money", unit=code)).status_code == 404
