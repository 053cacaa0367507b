"""A payment line that meets another union's payment (contract (d)): a filler whose subtree does
not hold it learns only that it exists elsewhere and which reviewers will decide — no name,
amount, batch or union; the reviewers of the nearest unit above both see both sides and decide
the flag, which reviewers below them can no longer do."""

from __future__ import annotations

import pytest

from chunfeng.core.errors import NotPermitted
from chunfeng.funds.services import flag_resolve

from .helpers import batch, household, pay, text

PHONE = "13904110001"
SECRETS = ("中山区", "500.00", "张大山", "中山第一批")


@pytest.fixture
def zs_paid(fed):
    """中山区 paid 张大山 (phone 13904110001) 500 yuan in its batch 中山第一批."""
    family = household(fed.zs, 1, "张大山", phone=PHONE)
    pay(
        batch(fed, fed.zs, fed.user("zs", "filler"), "中山第一批"), fed.user("zs", "filler"), family
    )
    return family


@pytest.fixture
def xg_line(fed, zs_paid):
    """西岗区 pays another family with the same phone: a suspected duplicate."""
    other = household(fed.xg, 2, "李小红", phone=PHONE)
    xg_batch = batch(fed, fed.xg, fed.user("xg", "filler"), "西岗第一批")
    return pay(xg_batch, fed.user("xg", "filler"), other, "300.00")


def test_the_filler_typing_the_number_learns_only_that_it_exists(fed, login, zs_paid):
    other = household(fed.xg, 2, "李小红", phone=PHONE)
    b = batch(fed, fed.xg, fed.user("xg", "filler"), "西岗第一批")
    client = login(fed.user("xg", "filler"))
    notes = text(client.post(f"/funds/batches/{b.pk}/precheck/", {"id_number": other.id_number}))
    assert "疑似重复" in notes and "将由大连市总工会的审核员核实" in notes
    for secret in SECRETS + (PHONE,):
        assert secret not in notes


def test_the_flag_tells_the_filler_no_details(fed, login, xg_line):
    (flag,) = xg_line.new_flags
    for message in xg_line.messages:
        assert "其他单位" in message and "大连市总工会的审核员" in message
        assert not any(secret in message for secret in SECRETS)
    page = text(login(fed.user("xg", "filler")).get(f"/funds/batches/{xg_line.batch_id}/"))
    assert "大连市总工会的审核员" in page
    assert not any(secret in page for secret in SECRETS)
    # 中山区, on the other side, learns no more of 西岗区's line
    page = text(
        login(fed.user("zs", "filler")).get(f"/funds/duplicates/?campaign={fed.campaign.pk}")
    )
    assert "其他单位" in page and "李小红" not in page and "西岗第一批" not in page


def test_the_reviewers_above_both_see_both_sides_and_decide(fed, login, xg_line):
    (flag,) = xg_line.new_flags
    url = f"/funds/duplicates/?campaign={fed.campaign.pk}"
    city = text(login(fed.user("city", "reviewer")).get(url))
    assert "中山区总工会" in city and "500.00" in city and "中山第一批" in city
    assert f"/funds/duplicates/{flag.pk}/resolve/" in city
    district = text(login(fed.user("xg", "reviewer")).get(url))
    assert f"/funds/duplicates/{flag.pk}/resolve/" not in district  # sees one side only
    assert "中山区" not in district and "由上级单位审核员处理" in district
    with pytest.raises(NotPermitted):
        flag_resolve(flag=flag, outcome="distinct", actor=fed.user("xg", "reviewer"))
    flag_resolve(flag=flag, outcome="distinct", actor=fed.user("city", "reviewer"))


def test_the_api_keeps_the_other_side_out_of_a_district_reviewers_answer(fed, api, xg_line):
    url = f"/api/v1/duplicates?campaign={fed.campaign.pk}"
    district = api(fed.token("xg", "reviewer")).get(url).json()
    [flag] = district["flags"]
    assert flag["other"] is None and flag["other_unit"] is None and flag["line"]["unit"] == "210203"
    assert "中山区" not in str(district) and "500.00" not in flag["message"]
    city = api(fed.token("city", "reviewer")).get(url).json()
    [flag] = city["flags"]
    assert flag["other"]["unit"] == "210202" and "中山区总工会" in flag["message"]
