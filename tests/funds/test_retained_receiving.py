"""Who still holds money: only a union that received money can, so the payments are summed only
for those (a province's 汇总 need not add up the lines of every grassroots union)."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.funds.ledger import own_figures
from chunfeng.funds.retained import retained_in

from .helpers import batch, household, pay, receive


def test_only_receiving_unions_have_their_payments_summed(fed):
    zs, g1 = fed.user("zs", "filler"), fed.user("zsg", "filler")
    receive(fed, fed.zs, "1000.00")
    pay(batch(fed, fed.zs, zs), zs, household(fed.zs, 50), "600.00")
    pay(batch(fed, fed.zs_g1, g1), g1, household(fed.zs_g1, 51), "300.00")  # no receipt there
    everything = own_figures(fed.campaign, fed.city)
    assert everything[fed.zs_g1.pk].paid == Decimal("300.00")  # the ledger's own figures
    receiving = own_figures(fed.campaign, fed.city, receiving_only=True)
    assert fed.zs_g1.pk not in receiving and receiving[fed.zs.pk].paid == Decimal("600.00")
    after = dt.date(2012, 1, 23)
    with CaptureQueriesContext(connection) as queries:
        rows = retained_in(fed.campaign, fed.city, after)
    assert [(r.unit.code, r.balance) for r in rows] == [("210202", Decimal("400.00"))]
    assert len(queries) == 4
