"""不遗漏: the households on file that nobody has visited or paid in the campaign, per unit
with its subtree, as a list and a rate; and the visits that count."""

import datetime as dt
from decimal import Decimal

import pytest

from chunfeng.campaigns.services import campaign_create
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.funds.coverage import coverage
from chunfeng.funds.models import VisitKind
from chunfeng.funds.services import line_cancel
from chunfeng.funds.visits import visit_create
from chunfeng.register.services import household_escape

from .helpers import batch, household, pay, text


def visit(fed, unit, user, *, hh=None, enterprise="", hardship=False, campaign=None):
    return visit_create(
        unit=unit,
        campaign=campaign or fed.campaign,
        kind=VisitKind.HOUSEHOLD if hh else VisitKind.ENTERPRISE,
        visited_on=dt.date(2012, 1, 10),
        visitors="主席 王某、副主席 李某",
        id_number=hh.id_number if hh else "",
        enterprise=enterprise,
        enterprise_code="91210202MA0Q4RTK1B" if hardship else "",
        is_hardship_enterprise=hardship,
        actor=user,
    )


@pytest.fixture
def register(fed):
    """zs_g1: 甲 paid, 乙 visited, 丙 paid only in another campaign, 丁 paid then cancelled,
    戊 escaped; zs: 己 not reached; xg_g1: 庚 paid, 辛 not reached."""
    zs, xg = fed.user("zs", "filler"), fed.user("xg", "filler")
    names = {}
    for seq, (unit, name) in enumerate(
        [
            (fed.zs_g1, "甲"),
            (fed.zs_g1, "乙"),
            (fed.zs_g1, "丙"),
            (fed.zs_g1, "丁"),
            (fed.zs_g1, "戊"),
            (fed.zs, "己"),
            (fed.xg_g1, "庚"),
            (fed.xg_g1, "辛"),
        ],
        start=1,
    ):
        names[name] = household(unit, seq, name)
    household_escape(
        household=names["戊"],
        on=dt.date(2011, 11, 1),
        reason="再就业",
        actor=fed.user("zs", "admin"),
    )
    b = batch(fed, fed.zs, zs)
    pay(b, zs, names["甲"])
    line_cancel(line=pay(b, zs, names["丁"]), actor=zs, reason="录错")
    visit(fed, fed.zs_g1, zs, hh=names["乙"])
    visit(fed, fed.zs, zs, enterprise="大连某机床厂", hardship=True)  # does not cover anyone
    other = campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 1, 22),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs],
    )
    pay(batch(fed, fed.zs, zs, campaign=other), zs, names["丙"], on=dt.date(2013, 1, 5))
    pay(batch(fed, fed.xg, xg), xg, names["庚"])
    return names


def test_district_rate_and_list(fed, register):
    result = coverage(fed.campaign, fed.zs)
    assert (result.root.on_file, result.root.helped, result.root.missing) == (5, 2, 3)
    assert result.root.rate == Decimal("40.0")
    missing = [h.name for h in result.missing]  # by unit path (the district first), then name
    assert missing[0] == "己" and sorted(missing[1:]) == sorted(["丁", "丙"])
    (g1,) = result.children
    assert (g1.unit, g1.on_file, g1.helped, g1.rate) == (fed.zs_g1, 4, 2, Decimal("50.0"))


def test_city_rate(fed, register):
    result = coverage(fed.campaign, fed.city)
    assert (result.root.on_file, result.root.helped) == (7, 3)
    assert result.root.rate == Decimal("42.9")
    rows = {r.unit.code: r for r in result.children}
    assert (rows["210203"].on_file, rows["210203"].helped) == (2, 1)
    assert rows["2102C01"].on_file == 0 and rows["2102C01"].rate is None
    assert {h.name for h in result.missing} == {"己", "丁", "丙", "辛"}


def test_coverage_page(fed, register, login):
    page = text(login(fed.user("zs", "viewer")).get(f"/funds/coverage/?campaign={fed.campaign.pk}"))
    assert "在档困难职工家庭 5 户" in page and "已走访或发放 2 户" in page and "40.0%" in page
    for name in ("己", "丁", "丙"):
        assert f"<td>{name}</td>" in page
    assert "<td>甲</td>" not in page and "<td>辛</td>" not in page
    assert register["己"].id_number not in page  # masked


def test_coverage_list_masks_phones(fed, register, login):
    register["己"].phone = "13912345678"
    register["己"].save(update_fields=["phone"])
    page = text(login(fed.user("zs", "filler")).get(f"/funds/coverage/?campaign={fed.campaign.pk}"))
    assert "<td>己</td>" in page and "13912345678" not in page and "139****5678" in page


def test_visit_rules(fed):
    zs = fed.user("zs", "filler")
    with pytest.raises(ApplicationError, match="企业名称"):
        visit(fed, fed.zs, zs)
    with pytest.raises(ApplicationError, match="走访人"):
        visit_create(
            unit=fed.zs,
            campaign=fed.campaign,
            kind="enterprise",
            visited_on="2012-01-10",
            visitors=" ",
            enterprise="某厂",
            actor=zs,
        )
    outsider = household(fed.xg_g1, 30)
    with pytest.raises(ApplicationError, match="未在您的管辖范围内建立困难职工档案"):
        visit(fed, fed.zs, zs, hh=outsider)
    with pytest.raises(NotPermitted):
        visit(fed, fed.zs, fed.user("zs", "viewer"), enterprise="某厂")


def test_visit_pages(fed, login):
    h = household(fed.zs_g1, 31, "周到")
    client = login(fed.user("zs", "filler"))
    url = f"/funds/visits/add/?campaign={fed.campaign.pk}"
    response = client.post(
        url,
        {
            "unit": "210202001",
            "kind": "household",
            "visited_on": "2012-01-12",
            "visitors": "主席 王某",
            "id_number": h.id_number,
        },
        follow=True,
    )
    assert response.status_code == 200 and "已登记走访职工家庭：周到" in text(response)
    client.post(
        url,
        {
            "unit": "210202",
            "kind": "enterprise",
            "visited_on": "2012-01-12",
            "visitors": "主席 王某",
            "enterprise": "大连某厂",
            "is_hardship_enterprise": "on",
            "enterprise_code": "91210202MA0Q4RTK1B",
        },
    )
    page = text(client.get(f"/funds/visits/?campaign={fed.campaign.pk}"))
    assert "走访企业 1 家（其中困难企业 1 家），走访职工家庭 1 户" in page and "大连某厂" in page
    bad = client.post(
        url,
        {
            "unit": "210202",
            "kind": "enterprise",
            "visited_on": "2012-01-12",
            "visitors": "主席 王某",
        },
    )
    assert bad.status_code == 400 and "走访企业请填写企业名称" in text(bad)
