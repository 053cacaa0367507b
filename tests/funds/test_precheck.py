"""Before a payment line is saved, the ID field tells the filler whether the family was already
paid in the campaign — by this union or any other of the federation (another district's payment
only said to exist, contract (d)). The number is posted: it never travels in a URL."""

import re

from tests.funds.helpers import batch, household, ident, pay


def check(client, b, number):
    return client.post(f"/funds/batches/{b.pk}/precheck/", {"id_number": number})


def test_district_is_told_before_saving_that_grassroots_paid(fed, login):
    family = household(fed.zs_g1, 1, "王大山")
    grassroots = batch(fed, fed.zs_g1, fed.user("zsg", "filler"))
    pay(grassroots, fed.user("zsg", "filler"), family, "800.00")
    district = batch(fed, fed.zs, fed.user("zs", "filler"), name="区总工会慰问")
    page = check(login(fed.user("zs", "filler")), district, family.id_number).content.decode()
    assert "青泥洼桥街道总工会已于 2012-01-05 发放" in page and "800.00" in page
    assert family.id_number not in page  # masked


def test_fresh_family_and_similar_person(fed, login):
    first = household(fed.zs, 1, "李梅", phone="13900000000")
    twin = household(fed.zs, 2, "赵强", phone="13900000000")
    b = batch(fed, fed.zs, fed.user("zs", "filler"))
    client = login(fed.user("zs", "filler"))
    assert "尚未向该户发放过" in check(client, b, first.id_number).content.decode()
    pay(b, fed.user("zs", "filler"), first)
    page = check(client, b, twin.id_number).content.decode()
    assert "疑似重复" in page and "李梅" in page


def test_unknown_or_invalid_numbers(fed, login):
    b = batch(fed, fed.zs, fed.user("zs", "filler"))
    client = login(fed.user("zs", "filler"))
    assert "请先建档" in check(client, b, ident(99, region="210202")).content.decode()
    wrong = ident(99)[:-1] + ("0" if ident(99)[-1] != "0" else "1")
    assert "校验位" in check(client, b, wrong).content.decode()
    xg_family = household(fed.xg, 3)
    assert "请先建档" in check(client, b, xg_family.id_number).content.decode()  # not in scope


def test_only_writers_of_the_batch(fed, login):
    b = batch(fed, fed.zs, fed.user("zs", "filler"))
    assert check(login(fed.user("zs", "viewer")), b, ident(1)).status_code == 403
    assert check(login(fed.user("xg", "filler")), b, ident(1)).status_code == 404
    assert (
        login(fed.user("zs", "filler")).get(f"/funds/batches/{b.pk}/precheck/").status_code == 405
    )


def test_batch_list_counts_each_line_once_despite_flags(fed, login):
    family = household(fed.zs, 5, "周明")
    b = batch(fed, fed.zs, fed.user("zs", "filler"))
    for _ in range(3):  # the same family three times: each later line is flagged
        pay(b, fed.user("zs", "filler"), family, "100.00")
    page = (
        login(fed.user("zs", "filler"))
        .get(f"/funds/batches/?campaign={fed.campaign.pk}")
        .content.decode()
    )
    row = page[page.index(f">{b.name}</a>") :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="num-cell">([^<]*)</td>', row)
    assert cells == ["3", "300.00"]
    assert '<span class="flag">3</span>' in row  # 2→1, 3→1, 3→2
