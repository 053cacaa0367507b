"""上级下拨: money one union passes down to another is raised once (by the giver) and spent by
the receiver; 05A and the balances do not count it twice, and the record-based 05A follows."""

import datetime as dt
from decimal import Decimal

import pytest

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.funds.ledger import ledger_figures
from chunfeng.funds.receipts import receipt_create
from chunfeng.reconcile.computing import compute

DAY = dt.date(2012, 1, 5)


def receive(fed, unit, source, amount, from_unit=None):
    return receipt_create(
        unit=unit,
        campaign=fed.campaign,
        source=source,
        amount=amount,
        received_on=DAY,
        actor=SYSTEM,
        from_unit=from_unit,
    )


@pytest.fixture
def passed(fed):
    """The city raises 100 000 and passes 30 000 down to 中山区, which raises 5 000 itself."""
    receive(fed, fed.city, "union", "100000")
    receive(fed, fed.zs, "allocation", "30000", from_unit=fed.city)
    receive(fed, fed.zs, "union", "5000")
    return fed


def test_the_ledger_counts_the_transfer_once(passed):
    figures = ledger_figures(passed.campaign, passed.city)
    city_own, city_total = figures[passed.city.pk][1], figures[passed.city.pk][2]
    zs_own = figures[passed.zs.pk][1]
    assert city_own.raised == Decimal("100000") and city_own.passed_down == Decimal("30000")
    assert city_own.balance == Decimal("70000")
    assert zs_own.raised == Decimal("5000") and zs_own.received == Decimal("30000")
    assert zs_own.balance == Decimal("35000")
    # over the city's subtree: raised once, the transfer cancels out
    assert city_total.raised == Decimal("105000")
    assert city_total.balance == Decimal("105000")


def test_05A_from_the_records_does_not_count_the_transfer_again(passed):
    definition = passed.campaign.forms.get(code="F1").form_version.definition
    city = compute(definition, passed.campaign, passed.city)
    zs = compute(definition, passed.campaign, passed.zs)
    assert city["05A"] == Decimal("10.5000")  # 100 000 + 5 000, in 万元
    assert zs["05A"] == Decimal("0.5000")  # the 30 000 is the city's
    assert city["05C"] == Decimal("10.5000")


@pytest.mark.parametrize(
    "source, giver, message",
    [
        ("allocation", None, "请填写下拨单位"),
        ("allocation", "210203", "不是中山区总工会的上级工会"),  # a sister district
        ("allocation", "210202", "不是中山区总工会的上级工会"),  # itself
        ("allocation", "999999", "请填写下拨单位"),
        ("union", "210200", "只有“上级下拨”的资金需要填写下拨单位"),
    ],
)
def test_a_transfer_names_a_union_above(fed, source, giver, message):
    with pytest.raises(ApplicationError) as refused:
        receive(fed, fed.zs, source, "100", from_unit=giver)
    assert message in refused.value.message
    assert refused.value.details[0]["field"] == "from_unit"


def test_the_api_takes_and_shows_the_giver(fed, api):
    client = api(fed.token("zs", "filler"))
    response = client.post(
        "/api/v1/receipts",
        {
            "campaign": fed.campaign.pk,
            "unit": "210202",
            "source": "allocation",
            "from_unit": "210200",
            "amount": "3000",
            "received_on": "2012-01-05",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["from_unit"] == "210200"
    listed = client.get(f"/api/v1/receipts?campaign={fed.campaign.pk}").json()
    assert listed[0]["from_unit"] == "210200" and listed[0]["source"] == "allocation"
