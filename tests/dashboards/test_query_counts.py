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
