"""Categories proposed from the family's income against the 2011 standard of the test region
(中山区: 400 元/人/月, C up to 600), and a choice the figures do not support refused unless
it is explained."""

import datetime as dt
from decimal import Decimal

import pytest

from chunfeng.applications.models import Standard
from chunfeng.applications.services import application_create
from chunfeng.applications.standards import propose, standard_for
from chunfeng.core.errors import ApplicationError

from .conftest import app_data

pytestmark = pytest.mark.django_db


def income(per_head: str, size: int = 3) -> list[dict]:
    return [{"item": "工资", "amount": str(Decimal(per_head) * size)}]


@pytest.mark.parametrize(
    ("per_head", "causes", "expected"),
    [
        ("399.99", {"low_income"}, "B"),
        ("400.00", {"low_income"}, "C"),
        ("600.00", {"unemployment"}, "C"),
        ("600.01", {"unemployment"}, ""),
        ("900.00", {"illness"}, "D"),
        ("500.00", set(), ""),
    ],
)
def test_proposal_against_the_2011_line(fed, standard, per_head, causes, expected):
    found = standard_for("210202", dt.date(2011, 12, 1))
    assert propose(found, Decimal(per_head), causes) == expected


def test_the_standard_in_force_on_the_day(fed, standard):
    Standard.objects.create(
        region_code="210200", region_name="大连市", year=2010, low_line=Decimal("360"),
        effective_from=dt.date(2010, 7, 1), set_by=fed.city,
    )  # fmt: skip
    assert standard_for("210202", dt.date(2011, 6, 30)).low_line == 360  # the city's, before
    assert standard_for("210202", dt.date(2011, 7, 1)) == standard
    assert standard_for("210203", dt.date(2011, 7, 1)).region_code == "210200"
    assert standard_for("210202", dt.date(2009, 1, 1)) is None


def test_a_c_above_the_margin_is_refused_without_an_explanation(fed, standard):
    filler = fed.user("zsg", "filler")
    data = app_data(income_items=income("650"), category="C", main_cause="unemployment")
    data["other_causes"] = []
    with pytest.raises(ApplicationError) as refused:
        application_create(unit=fed.zs_g1, data=data, actor=filler)
    message = str(refused.value)
    assert refused.value.code == "category_unsupported"
    assert "650.00" in message and "400.00" in message and "600.00" in message
    assert refused.value.details[0]["field"] == "category"
    explained = data | {"explanation": "配偶失业后收入不稳定，近三月均低于边缘线"}
    a = application_create(unit=fed.zs_g1, data=explained, actor=filler)
    assert (a.category, a.proposed, a.per_capita) == ("C", "", Decimal("650.00"))


def test_b_only_below_the_line(fed, standard):
    data = app_data(income_items=income("450"), category="B")
    with pytest.raises(ApplicationError):
        application_create(unit=fed.zs_g1, data=data, actor=fed.user("zsg", "filler"))
    a = application_create(
        unit=fed.zs_g1, data=data | {"category": "C"}, actor=fed.user("zsg", "filler")
    )
    assert a.proposed == "D"  # illness supports D too; C chosen is supported
