"""The ledger: receipts by source (附件1 item 05), payments (goods at their value, cancelled lines
left out), the balance per unit with its subtree, and the close-to-festival warning."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chunfeng.campaigns.services import campaign_create
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.funds.ledger import balance_warning, ledger_for
from chunfeng.funds.receipts import receipt_create
from chunfeng.funds.services import line_cancel

from .helpers import batch, household, pay, text

D = Decimal


def receive(fed, unit, user, source, amount, campaign=None):
    return receipt_create(
        unit=unit,
        campaign=campaign or fed.campaign,
        source=source,
        amount=amount,
        received_on=dt.date(2011, 12, 25),
        actor=user,
    )


@pytest.fixture
def books(fed):
    """zs: 政府拨款 10,000.00 + 工会投入 2,500.50; zs_g1: 社会捐助 1,000.25; xg: 其他收入 300.
    zs pays 500 cash + goods worth 200 (+ 300 cancelled); zs_g1 pays 100.10."""
    zs, zsg, xg = fed.user("zs", "filler"), fed.user("zsg", "filler"), fed.user("xg", "admin")
    receive(fed, fed.zs, zs, "government", "10000")
    receive(fed, fed.zs, zs, "union", "2,500.50")
    receive(fed, fed.zs_g1, zsg, "donation", D("1000.25"))
    receive(fed, fed.xg, xg, "other", "300.00")
    a, b, c = (household(fed.zs_g1, i) for i in (1, 2, 3))
    d = household(fed.zs_g1, 4)
    zs_batch = batch(fed, fed.zs, zs)
    pay(zs_batch, zs, a, "500")
    pay(zs_batch, zs, b, "200.00", kind="goods", goods="米、面、油", aid="living")
    wrong = pay(zs_batch, zs, c, "300")
    line_cancel(line=wrong, actor=zs, reason="录入错误")
    pay(batch(fed, fed.zs_g1, zsg), zsg, d, "100.10")


def figures(row):
    return dict(row.total.by_source), row.total.raised, row.total.paid, row.total.balance


def test_subtree_totals_by_source(fed, books):
    ledger = ledger_for(fed.user("city", "viewer"), fed.campaign)
    by_source, raised, paid, balance = figures(ledger.root)
    assert by_source == {
        "government": D("10000.00"),
        "union": D("2500.50"),
        "donation": D("1000.25"),
        "other": D("300.00"),
        "allocation": D("0.00"),  # 上级下拨: none passed down here
    }
    assert (raised, paid, balance) == (D("13800.75"), D("800.10"), D("13000.65"))
    assert ledger.root.own.raised == 0 and ledger.root.own.paid == 0
    rows = {r.unit.code: r for r in ledger.children}
    assert list(rows) == ["210202", "210203", "2102C01"]
    zs = rows["210202"]
    assert (zs.own.raised, zs.own.paid, zs.own.balance) == (
        D("12500.50"),
        D("700.00"),
        D("11800.50"),
    )
    assert (zs.total.raised, zs.total.paid, zs.total.balance) == (
        D("13500.75"),
        D("800.10"),
        D("12700.65"),
    )
    assert zs.has_children
    assert rows["210203"].total.balance == D("300.00") and rows["210203"].total.paid == 0
    assert rows["2102C01"].total.raised == 0


def test_grassroots_level(fed, books):
    ledger = ledger_for(fed.user("zs", "viewer"), fed.campaign, fed.zs_g1)
    assert (ledger.root.total.raised, ledger.root.total.paid) == (D("1000.25"), D("100.10"))
    assert ledger.root.total.balance == D("900.15") and ledger.children == []


def test_ledger_outside_subtree_is_404(fed, books):
    from django.http import Http404

    with pytest.raises(Http404):
        ledger_for(fed.user("zs", "filler"), fed.campaign, fed.xg)


def test_other_campaign_is_separate(fed, books):
    other = campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 1, 22),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs],
    )
    receive(fed, fed.zs, fed.user("zs", "filler"), "union", "99", campaign=other)
    assert ledger_for(fed.user("city", "viewer"), other).root.total.raised == D("99.00")
    assert ledger_for(fed.user("city", "viewer"), fed.campaign).root.total.raised == D("13800.75")


@pytest.mark.parametrize(
    "amount, message",
    [
        ("12.345", "两位小数"),
        ("0", "大于 0"),
        ("-5", "大于 0"),
        ("abc", "不是数字"),
        ("", "不是数字"),
        ("NaN", "不是数字"),
    ],
)
def test_receipt_amount_rules(fed, amount, message):
    with pytest.raises(ApplicationError) as exc:
        receive(fed, fed.zs, fed.user("zs", "filler"), "union", amount)
    assert message in exc.value.message


def test_receipt_writers(fed):
    receive(fed, fed.zs_g1, fed.user("zs", "admin"), "union", "1")  # admin above: allowed
    for user in (fed.user("zs", "viewer"), fed.user("zs", "reviewer"), fed.user("zsg", "filler")):
        with pytest.raises(NotPermitted):
            receive(fed, fed.zs, user, "union", "1")


def test_warning_rules(fed):
    campaign, end = fed.campaign, fed.campaign.period_end
    assert balance_warning(campaign, D("1"), end - dt.timedelta(days=8)) == ""
    assert "还有 7 天" in balance_warning(campaign, D("1"), end - dt.timedelta(days=7))
    assert "最后一天" in balance_warning(campaign, D("1"), end)
    late = balance_warning(campaign, D("1234.5"), end + dt.timedelta(days=3))
    assert "已于 2012-01-22 结束" in late and "1,234.50" in late and "春节前全部使用完毕" in late
    assert balance_warning(campaign, D("0"), end) == ""
    assert balance_warning(campaign, D("-10"), end) == ""


def test_home_page_shows_figures_and_warning(fed, books, login):
    page = text(login(fed.user("zs", "filler")).get(f"/funds/?campaign={fed.campaign.pk}"))
    assert "13500.75" in page and "800.10" in page and "12700.65" in page
    assert "balance-warning" in page and "不滞留、不截流" in page  # the 2012 festival is past
    assert "西岗区总工会" not in page  # only zs's own subtree


def test_no_warning_far_from_festival(fed, login):
    today = timezone.localdate()
    future = campaign_create(
        owner=fed.city,
        name="明年春风行动",
        period_start=today,
        period_end=today + dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=20),
        forms={"F1": None},
        recipients=[fed.zs],
    )
    receive(fed, fed.zs, fed.user("zs", "filler"), "union", "100", campaign=future)
    page = text(login(fed.user("zs", "filler")).get(f"/funds/?campaign={future.pk}"))
    assert "100.00" in page and "balance-warning" not in page


def test_home_defaults_to_latest_campaign_and_drills(fed, books, login):
    client = login(fed.user("city", "viewer"))
    page = text(client.get("/funds/"))
    assert fed.campaign.name in page and "中山区总工会" in page and "13800.75" in page
    drill = text(client.get(f"/funds/?campaign={fed.campaign.pk}&unit=210202"))
    assert "青泥洼桥街道总工会" in drill and "12700.65" in drill
