"""不重复: a household paid twice in one campaign is flagged when the line is entered or
imported, across the whole federation; the set-based scan finds the same groups."""

import datetime as dt

import pytest

from chunfeng.campaigns.services import campaign_create
from chunfeng.funds.duplicates import duplicates_scan
from chunfeng.funds.models import DuplicateFlag, FlagKind
from chunfeng.funds.services import line_cancel

from .helpers import batch, household, pay, text


@pytest.fixture
def users(fed):
    return {k: fed.user(k, "filler") for k in ("city", "zs", "xg", "zsg")}


def kinds(line):
    return sorted(f.kind for f in line.new_flags)


def test_exact_across_two_units(fed, users):
    """西岗区 pays a family of 八一路街道; the city pays it again: flagged with who paid."""
    h = household(fed.xg_g1, 1, "王芳")
    pay(batch(fed, fed.xg, users["xg"]), users["xg"], h, "500")
    line = pay(batch(fed, fed.city, users["city"]), users["city"], h, "800")
    assert kinds(line) == [FlagKind.EXACT]
    flag = line.new_flags[0]
    assert flag.other.unit == fed.xg and flag.line == line
    assert line.messages == [
        f"王芳（{h.id_number[:4]}**********{h.id_number[-4:]}）：该户已由西岗区总工会于 2012-01-05 "
        "在批次“第一批”中发放 现金 500.00 元（慰问金），同一活动内重复发放。"
    ]


def test_twice_in_one_unit(fed, users):
    h = household(fed.zs, 2)
    first = batch(fed, fed.zs, users["zs"])
    pay(first, users["zs"], h)
    again = pay(first, users["zs"], h, "100")
    assert kinds(again) == [FlagKind.EXACT] and "该户已由本单位" in again.messages[0]
    third = pay(batch(fed, fed.zs, users["zs"], "第二批"), users["zs"], h, "50")
    assert kinds(third) == [FlagKind.EXACT, FlagKind.EXACT]  # against both earlier lines


def test_district_after_grassroots_flagged_on_the_page(fed, users, login):
    h = household(fed.zs_g1, 3, "李强")
    pay(batch(fed, fed.zs_g1, users["zsg"]), users["zsg"], h, "300")
    zs_batch = batch(fed, fed.zs, users["zs"])
    response = login(users["zs"]).post(
        f"/funds/batches/{zs_batch.pk}/lines/",
        {
            "id_number": h.id_number,
            "amount": "500",
            "kind": "cash",
            "aid_type": "condolence",
            "paid_on": "2012-01-08",
        },
        follow=True,
    )
    page = text(response)
    assert response.status_code == 200
    assert "该户已由青泥洼桥街道总工会于 2012-01-05" in page and "现金 300.00 元" in page
    assert DuplicateFlag.objects.filter(line__batch=zs_batch, kind=FlagKind.EXACT).count() == 1


def test_suspected_same_name_and_birth(fed, users):
    """Two files (different ID numbers, different districts), same name and birth date."""
    a = household(fed.zs_g1, 4, "张伟", birth="19650315")
    b = household(fed.xg_g1, 5, "张伟", birth="19650315")
    pay(batch(fed, fed.zs, users["zs"]), users["zs"], a)
    line = pay(batch(fed, fed.xg, users["xg"]), users["xg"], b)
    assert kinds(line) == [FlagKind.NAME_BIRTH]
    assert "疑似重复" in line.messages[0] and "姓名和出生日期相同" in line.messages[0]
    # 西岗区's filler learns only that 中山区's payment exists, and who decides (contract (d))
    assert "中山区" not in line.messages[0] and "500.00" not in line.messages[0]
    assert line.messages[0].endswith("将由大连市总工会的审核员核实。")


def test_same_name_other_birth_is_not_flagged(fed, users):
    a = household(fed.zs_g1, 6, "张伟", birth="19650315")
    b = household(fed.xg_g1, 7, "张伟", birth="19650316")
    pay(batch(fed, fed.zs, users["zs"]), users["zs"], a)
    assert pay(batch(fed, fed.xg, users["xg"]), users["xg"], b).new_flags == []


def test_suspected_same_phone(fed, users):
    a = household(fed.zs_g1, 8, "赵一", phone="13900000001")
    b = household(fed.xg_g1, 9, "钱二", phone="13900000001")
    c = household(fed.xg_g1, 10, "孙三", phone="")
    d = household(fed.zs_g1, 11, "李四", phone="")
    pay(batch(fed, fed.zs, users["zs"]), users["zs"], a)
    line = pay(batch(fed, fed.xg, users["xg"]), users["xg"], b)
    assert kinds(line) == [FlagKind.PHONE] and "联系电话相同" in line.messages[0]
    pay(batch(fed, fed.zs, users["zs"], "空号"), users["zs"], d)
    assert pay(batch(fed, fed.xg, users["xg"], "空号"), users["xg"], c).new_flags == []


def test_one_flag_per_pair_strongest_kind(fed, users):
    a = household(fed.zs_g1, 12, "周五", birth="19800101", phone="13900000002")
    b = household(fed.xg_g1, 13, "周五", birth="19800101", phone="13900000002")
    pay(batch(fed, fed.zs, users["zs"]), users["zs"], a)
    assert kinds(pay(batch(fed, fed.xg, users["xg"]), users["xg"], b)) == [FlagKind.NAME_BIRTH]


def test_no_flag_in_another_campaign(fed, users):
    other = campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 1, 22),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs],
    )
    h = household(fed.zs, 14)
    pay(batch(fed, fed.zs, users["zs"]), users["zs"], h)
    later = batch(fed, fed.zs, users["zs"], campaign=other)
    line = pay(later, users["zs"], h, on=dt.date(2013, 1, 5))
    assert line.new_flags == []


def test_cancelled_line_is_no_duplicate(fed, users):
    h = household(fed.zs, 15)
    b = batch(fed, fed.zs, users["zs"])
    first = pay(b, users["zs"], h)
    line_cancel(line=first, actor=users["zs"], reason="录错金额")
    assert pay(b, users["zs"], h, "450").new_flags == []


def test_flags_in_the_same_transaction(fed, users, monkeypatch):
    """If flagging fails the line is not saved either."""
    import chunfeng.funds.services as services

    h = household(fed.zs, 16)
    b = batch(fed, fed.zs, users["zs"])

    def boom(lines):
        raise RuntimeError("flagging failed")

    monkeypatch.setattr(services, "duplicates_flag", boom)
    with pytest.raises(RuntimeError):
        pay(b, users["zs"], h)
    assert not b.lines.exists()


# ---- the scan -------------------------------------------------------------------------------


@pytest.fixture
def planted(fed, users):
    """exact (zs_g1 + zs), name+birth (zs_g1 vs xg_g1), phone (zs vs xg), a cancelled repeat
    and one in another campaign, and a clean family."""
    e = household(fed.zs_g1, 20, "甲")
    n1 = household(fed.zs_g1, 21, "乙", birth="19700505")
    n2 = household(fed.xg_g1, 22, "乙", birth="19700505")
    p1 = household(fed.zs, 23, "丙", phone="13800000003")
    p2 = household(fed.xg, 24, "丁", phone="13800000003")
    c = household(fed.zs, 25, "戊")
    clean = household(fed.xg, 26, "己")
    zs_b, xg_b, zsg_b = (
        batch(fed, fed.zs, users["zs"]),
        batch(fed, fed.xg, users["xg"]),
        batch(fed, fed.zs_g1, users["zsg"]),
    )
    pay(zsg_b, users["zsg"], e)
    pay(zs_b, users["zs"], e)
    pay(zsg_b, users["zsg"], n1)
    pay(xg_b, users["xg"], n2)
    pay(zs_b, users["zs"], p1)
    pay(xg_b, users["xg"], p2)
    pay(zs_b, users["zs"], c)
    line_cancel(line=pay(zs_b, users["zs"], c), actor=users["zs"], reason="重复")
    pay(xg_b, users["xg"], clean)
    return {"exact": e, "name": (n1, n2), "phone": (p1, p2)}


def test_scan_finds_each_group(fed, planted):
    scan = duplicates_scan(fed.campaign, fed.city)
    assert scan.counts == {"exact": 1, "name_birth": 1, "phone": 1}
    (exact,) = scan.groups["exact"]
    assert exact.key[0] == planted["exact"].id_number and exact.units == 2
    (name,) = scan.groups["name_birth"]
    assert name.key == ("乙", dt.date(1970, 5, 5))
    assert {line.id_number for line in name.lines} == {h.id_number for h in planted["name"]}
    (phone,) = scan.groups["phone"]
    assert phone.key[0] == "13800000003" and len(phone.lines) == 2
    # the flags raised on entry are the same pairs
    assert DuplicateFlag.objects.filter(line__cancelled=False).count() == 3


def test_scan_is_scoped_to_the_root(fed, planted):
    scan = duplicates_scan(fed.campaign, fed.zs)
    assert scan.counts == {"exact": 1, "name_birth": 0, "phone": 0}
    assert duplicates_scan(fed.campaign, fed.xg).total == 0


def test_scan_other_campaign_is_empty(fed, planted):
    other = campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 1, 22),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs],
    )
    assert duplicates_scan(other, fed.city).total == 0


def test_scan_on_the_reviewer_page(fed, planted, login):
    page = text(
        login(fed.user("city", "reviewer")).get(
            f"/funds/duplicates/?campaign={fed.campaign.pk}&scan=1"
        )
    )
    assert "共发现 3 组" in page and "138****0003" in page and "乙 1970-05-05" in page
    assert "13800000003" not in page
