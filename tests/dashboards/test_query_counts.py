"""Each dashboard answer reads in a number of queries that does not depend on how many units
lie below: the same with 5 and with 30 child units, each with its report, receipt, household
and payment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chunfeng.accounts.services import token_create, user_create
from chunfeng.campaigns.services import campaign_create
from chunfeng.formdefs.services import formdefs_sync
from chunfeng.funds.receipts import receipt_create
from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.services import orgunit_create
from tests.fixtures import PASSWORD
from tests.funds.helpers import batch, household, pay

CHARTS = ("filing-units", "filing-forms", "money", "payments-daily", "coverage")


def tree(prefix: str, n: int):
    """A city (code ``prefix``) with ``n`` districts, each with a grassroots union keeping a
    household paid in the campaign and a receipt; the city's reviewer."""
    city = orgunit_create(code=prefix, name=f"市{prefix}", kind=UnitKind.CITY, parent=None)
    districts = [
        orgunit_create(
            code=f"{prefix}{i:02d}", name=f"区{prefix}{i:02d}", kind=UnitKind.COUNTY, parent=city
        )
        for i in range(n)
    ]
    campaign = campaign_create(
        owner=city,
        name=f"活动{prefix}",
        period_start=dt.date(2011, 12, 20),
        period_end=dt.date(2012, 1, 22),
        deadline=dt.date(2012, 1, 8),
        forms={"F1": None, "F2": None},
        recipients=districts,
    )
    for i, district in enumerate(districts):
        grassroots = orgunit_create(
            code=f"{district.code}1", name=f"基层{i}", kind=UnitKind.GRASSROOTS, parent=district
        )
        filler = user_create(
            username=f"f{grassroots.code}", unit=grassroots, role="filler", password=PASSWORD
        )
        receipt_create(
            unit=grassroots,
            campaign=campaign,
            source="union",
            amount="100",
            received_on=dt.date(2012, 1, 2),
            actor=filler,
        )
        hh = household(grassroots, i + 1, birth=f"19{prefix}0101", region="210202")
        pay(batch(None, grassroots, filler, campaign=campaign), filler, hh, "50.00")
    reviewer = user_create(username=f"r{prefix}", unit=city, role="reviewer", password=PASSWORD)
    return campaign, reviewer


def counts(campaign, reviewer) -> dict[str, int]:
    client = Client()
    client.force_login(reviewer)
    api = Client(headers={"Authorization": f"Bearer {token_create(user=reviewer, name='t')}"})
    urls = {"home": (client, "/"), "a district's home": (client, f"/?unit={campaign.owner.code}00")}
    for name in CHARTS:
        urls[name] = (client, reverse("dashboard-chart", args=[campaign.pk, name]))
        urls[f"api {name}"] = (api, f"/api/v1/dashboards/{campaign.pk}/charts/{name}")
    urls["overview"] = (api, f"/api/v1/dashboards/{campaign.pk}/overview")
    found = {}
    for key, (who, url) in urls.items():
        who.get(url)  # warm the session, the token and caches
        with CaptureQueriesContext(connection) as queries:
            response = who.get(url)
        assert response.status_code == 200, (key, response.status_code)
        found[key] = len(queries)
    return found


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_query_counts_do_not_grow_with_the_units(db):
    formdefs_sync()
    small = counts(*tree("81", 5))
    large = counts(*tree("82", 30))
    assert small == large
    assert max(small.values()) <= 40, small


# --- every role's home and the 汇总's composition, in the shared federation --------------------

F1_FILED = {"05A": "10", "05B": "4", "05C": "3", "05D": "2", "05E": "1"}
F1_FILED |= {"06A": "10", "06B": "2", "06C": "1", "04C": "5"}


def grow(fed, start: int, n: int) -> None:
    """``n`` street unions more under 中山区, each keeping a household paid in the campaign and
    a receipt, and ``n`` unions more reporting 附件1 straight to the city (approved)."""
    from decimal import Decimal

    from chunfeng.campaigns.selectors import campaign_form
    from chunfeng.reports.models import Report, ReportStatus, ReportValue

    cform = campaign_form(fed.campaign, "F1")
    for i in range(start, start + n):
        street = orgunit_create(
            code=f"210202{i + 100:03d}",
            name=f"街道工会{i}",
            kind=UnitKind.GRASSROOTS,
            parent=fed.zs,
        )
        filler = user_create(username=f"g{i}", unit=street, role="filler", password=PASSWORD)
        receipt_create(
            unit=street,
            campaign=fed.campaign,
            source="union",
            amount="100",
            received_on=dt.date(2012, 1, 2),
            actor=filler,
        )
        pay(batch(fed, street, filler), filler, household(street, i + 1), "50.00")
        direct = orgunit_create(
            code=f"2102G{i:04d}", name=f"直属工会{i}", kind=UnitKind.GRASSROOTS, parent=fed.city
        )
        fed.campaign.recipients.add(direct)
        report = Report.objects.create(
            campaign_form=cform,
            unit=direct,
            form_version=cform.form_version,
            status=ReportStatus.APPROVED,
        )
        ReportValue.objects.bulk_create(
            ReportValue(report=report, code=code, value=Decimal(value))
            for code, value in F1_FILED.items()
        )


def test_each_home_and_the_composition_do_not_grow_with_the_units(fed):
    c = fed.campaign.pk
    composition = ("210200", "F1")
    asked = {
        "city home": (fed.user("city", "reviewer"), "/"),
        "district home": (fed.user("zs", "reviewer"), "/"),
        "grassroots home": (fed.user("zsg", "filler"), "/"),
        "auditor home": (fed.user("city", "viewer"), "/"),
        "composition": (
            fed.user("city", "viewer"),
            reverse("dashboard-composition", args=[c, *composition]),
        ),
        "api composition": (
            fed.user("city", "viewer"),
            f"/api/v1/dashboards/{c}/summary/210200/F1/composition",
        ),
        "汇总 page with its chart and records": (
            fed.user("city", "viewer"),
            reverse("summary", args=[c, *composition]),
        ),
    }
    for name in CHARTS:
        asked[f"district {name}"] = (
            fed.user("zs", "reviewer"),
            reverse("dashboard-chart", args=[c, name]),
        )

    def measure() -> dict[str, int]:
        found = {}
        for key, (user, url) in asked.items():
            if url.startswith("/api/"):
                who = Client(
                    headers={"Authorization": f"Bearer {token_create(user=user, name='t')}"}
                )
            else:
                who = Client()
                who.force_login(user)
            who.get(url)  # warm the session, the token and caches
            with CaptureQueriesContext(connection) as queries:
                response = who.get(url)
            assert response.status_code == 200, (key, response.status_code)
            found[key] = len(queries)
        return found

    grow(fed, 0, 3)
    few = measure()
    grow(fed, 3, 15)
    assert measure() == few
