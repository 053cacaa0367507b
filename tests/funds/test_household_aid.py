"""一户一档: the household page shows the family's aid payments and visits across campaigns,
contributed by the funds app through the ``household.detail`` panel slot, in a fixed number of
queries; outside the user's subtree the page is a 404; no full ID number on it."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chunfeng.campaigns.services import campaign_create
from chunfeng.funds.models import VisitKind
from chunfeng.funds.services import line_cancel
from chunfeng.funds.visits import visit_create

from .helpers import batch, household, pay, squash, text


def _other_campaign(fed):
    return campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 1, 22),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs],
    )


def _visit(fed, user, hh, *, campaign=None, on=dt.date(2012, 1, 10), note=""):
    return visit_create(
        unit=fed.zs,
        campaign=campaign or fed.campaign,
        kind=VisitKind.HOUSEHOLD,
        visited_on=on,
        visitors="主席 王某",
        id_number=hh.id_number,
        note=note,
        actor=user,
    )


def _page(client, hh):
    return client.get(reverse("household-detail", args=[hh.pk]))


def test_payments_and_visits_of_every_campaign_on_the_household_page(fed, login):
    zs = fed.user("zs", "filler")
    hh = household(fed.zs_g1, 1, "甲")
    other_hh = household(fed.zs_g1, 2, "乙")
    later = _other_campaign(fed)
    pay(batch(fed, fed.zs, zs), zs, hh, "500.00")
    pay(batch(fed, fed.zs, zs, "第二批", campaign=later), zs, hh, "321.00", on=dt.date(2013, 1, 5))
    cancelled = pay(batch(fed, fed.zs, zs, "第三批"), zs, hh, "77.00")
    line_cancel(line=cancelled, actor=zs, reason="录错")
    pay(batch(fed, fed.zs, zs, "别户批"), zs, other_hh, "999.00")
    _visit(fed, zs, hh, note="送米面油")
    _visit(fed, zs, hh, campaign=later, on=dt.date(2013, 1, 6), note="春节前再访")

    page = squash(text(_page(login(zs), hh)))
    assert fed.campaign.name in page and "2013年春风行动" in page
    assert "500.00" in page and "321.00" in page and "77.00" in page and "已撤销" in page
    assert "999.00" not in page and "别户批" not in page  # another family's payment
    assert "送米面油" in page and "春节前再访" in page
    assert hh.id_number not in page  # the panel names no number


def test_a_household_without_aid_says_so(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    page = text(_page(login(fed.user("zs", "filler")), hh))
    assert "还没有发放记录" in page and "还没有走访记录" in page


def test_a_household_of_another_subtree_is_not_found(fed, login):
    xg = fed.user("xg", "filler")
    hh = household(fed.zs_g1, 1, "甲")
    zs = fed.user("zs", "filler")
    pay(batch(fed, fed.zs, zs), zs, hh, "500.00")
    response = _page(login(xg), hh)
    assert response.status_code == 404
    assert "500.00" not in text(response)


def _count(client, hh) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _page(client, hh).status_code == 200
    return len(queries)


def test_the_panel_queries_do_not_grow_with_payments_and_visits(fed, login):
    zs = fed.user("zs", "filler")
    client = login(zs)
    hh = household(fed.zs_g1, 1, "甲")
    pay(batch(fed, fed.zs, zs), zs, hh, "100.00")
    _visit(fed, zs, hh)
    few = _count(client, hh)
    later = _other_campaign(fed)
    for n in range(4):
        b = batch(fed, fed.zs, zs, f"批{n}", campaign=later if n % 2 else None)
        pay(b, zs, hh, f"{n + 1}0.00", on=dt.date(2013, 1, 5) if n % 2 else dt.date(2012, 1, 5))
        _visit(
            fed,
            zs,
            hh,
            campaign=later if n % 2 else None,
            on=dt.date(2013, 1, 6) if n % 2 else dt.date(2012, 1, 10),
        )
    assert _count(client, hh) == few
