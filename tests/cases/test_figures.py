"""附件1 08A/08A.2/08C–08C.4 and 附件2 10D from the cases, against figures worked out by hand,
through the same record-based mechanism as the register (表实相符)."""

from decimal import Decimal

import pytest

from chunfeng.cases.handling import case_close
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reconcile.computing import compute_explained

from .helpers import at, call, ident

F1, F2 = latest_builtin("F1"), latest_builtin("F2")


def closed(case, user, day, **kwargs):
    kwargs.setdefault("outcome", "solved")
    return case_close(case=case, actor=user, at=at(day), **kwargs)


@pytest.fixture
def cases(fed):
    zs, g1 = fed.user("zs", "filler"), fed.user("zsg", "filler")
    c1 = call(
        fed,
        when="2011-12-21",
        workers=3,
        migrants=2,
        caller_is_migrant=True,
        caller_id_number=ident("19850214", 11),
        cross_region=True,
        amount_involved="45000",
    )
    closed(c1, zs, "2012-01-10", recovered="30000")  # closed after 2011: not in 10D
    c2 = call(
        fed,
        when="2011-12-25",
        category="injury",
        caller_is_migrant=True,
        cross_region=True,
        amount_involved="8000",
    )  # birth year unknown
    closed(c2, zs, "2011-12-30")
    call(
        fed, when="2011-12-28", category="hardship", caller_is_migrant=True, caller_birth_year=1990
    )  # not a rights case
    c4 = call(fed, when="2012-01-05", category="contract", workers=10)
    closed(c4, zs, "2012-01-06")
    c5 = call(fed, when="2011-12-01", workers=2, cross_region=True, amount_involved="6000")
    closed(c5, zs, "2011-12-22", recovered="5000")  # received before, recovered during
    c6 = call(fed, when="2011-12-22", region="210203")  # 西岗区
    closed(c6, fed.user("xg", "filler"), "2011-12-23", recovered="999")
    c7 = call(fed, when="2011-12-22", unit=fed.zs_g1, cross_region=True, taker=zs)
    closed(c7, g1, "2011-12-29")  # a street union is no help centre: not in 10D
    call(fed, when="2012-01-23", category="injury")  # after the activity period
    call(fed, when="2011-12-23", category="wages")  # open: nothing recovered yet


def test_08A_and_08C_for_a_district(fed, cases):
    got = compute_explained(F1, fed.campaign, fed.zs)
    # rights cases received 20 Dec – 22 Jan: c1 (3 workers), c2 (1), c4 (10), c7 (1), the open one (1)
    assert got.values["08A"] == 16
    assert got.values["08A.2"] == 1  # c1's caller, born 1985; c2's birth year unknown
    assert got.notes == {"08A.2": "另有 1 件（来电农民工出生年份不详）无法判断，未计入"}
    # closed with wages recovered in the period: c1 (3 workers, 2 migrants, 30000) and c5 (2, 5000)
    assert (got.values["08C"], got.values["08C.3"]) == (5, 2)
    assert got.values["08C.2"] == Decimal("3.5000") and got.values["08C.4"] == Decimal("3.0000")


def test_10D_over_the_year_the_form_reports_on(fed, cases):
    got = compute_explained(F2, fed.campaign, fed.zs)
    # cross-region, resolved in 2011 by a county union: c2 (1 migrant, 8000) and c5 (0, 6000)
    assert got.values == {"10D": 2, "10D.2": 1, "10D.3": Decimal("1.4000")}


def test_the_city_sees_every_district_and_a_street_only_its_own(fed, cases):
    city = compute_explained(F1, fed.campaign, fed.city).values
    assert city["08A"] == 17 and city["08C"] == 6 and city["08C.2"] == Decimal("3.5999")
    street = compute_explained(F1, fed.campaign, fed.zs_g1).values
    assert street["08A"] == 1 and street["08C"] == 0
    assert compute_explained(F2, fed.campaign, fed.zs_g1).values["10D"] == 0


def test_a_union_without_cases_is_not_compared(fed):
    assert "08A" not in compute_explained(F1, fed.campaign, fed.zs).values
    assert compute_explained(F2, fed.campaign, fed.zs).values == {}
