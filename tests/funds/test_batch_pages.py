"""The batch page: adding a line (errors kept on the form), flags shown on lines, cancel,
confirm; the batch list with its totals."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.funds.models import BatchStatus, PaymentLine

from .helpers import PNG, batch, household, pay, text


@pytest.fixture
def zs(fed):
    return fed.user("zs", "filler")


def line_data(h, **changes):
    data = {
        "id_number": h.id_number,
        "amount": "500",
        "kind": "cash",
        "goods": "",
        "aid_type": "condolence",
        "paid_on": "2012-01-06",
    }
    return data | changes


def test_add_line_and_errors(fed, zs, login):
    h = household(fed.zs_g1, 1, "孙立")
    b = batch(fed, fed.zs, zs)
    client = login(zs)
    url = f"/funds/batches/{b.pk}/lines/"
    bad = client.post(url, line_data(h, amount="50.001"))
    assert (
        bad.status_code == 400 and "最多保留两位小数" in text(bad) and 'value="50.001"' in text(bad)
    )
    goods = client.post(url, line_data(h, kind="goods"))
    assert goods.status_code == 400 and "实物发放请填写实物名称" in text(goods)
    bad_id = client.post(url, line_data(h, id_number="123"))
    assert bad_id.status_code == 400 and "应为 18 位" in text(bad_id)
    ok = client.post(url, line_data(h, kind="goods", goods="棉衣", amount="350.5"), follow=True)
    page = text(ok)
    assert "已添加 孙立，350.50 元" in page and "实物：棉衣" in page and "350.50" in page
    assert h.id_number not in page  # masked on the page
    assert PaymentLine.objects.get().goods == "棉衣"


def test_flags_cancel_and_confirm_on_the_page(fed, zs, login):
    h = household(fed.zs_g1, 2, "吴刚")
    zsg = fed.user("zsg", "filler")
    pay(batch(fed, fed.zs_g1, zsg), zsg, h, "200")
    b = batch(fed, fed.zs, zs)
    line = pay(b, zs, h, "300")
    client = login(zs)
    page = text(client.get(f"/funds/batches/{b.pk}/"))
    assert "该户已由青泥洼桥街道总工会" in page and "1 条重复发放提示待审核员处理" in page
    sheet = {"file": SimpleUploadedFile("签领表.png", PNG, content_type="image/png")}
    client.post(f"/funds/batches/{b.pk}/signed-sheet/", sheet)
    reviewer = login(fed.user("city", "reviewer"))
    refused = reviewer.post(f"/funds/batches/{b.pk}/signed-sheet/confirm/", follow=True)
    assert "尚未处理" in text(refused)
    client.post(f"/funds/lines/{line.pk}/cancel/", {"reason": "街道已发"})
    line.refresh_from_db()
    assert line.cancelled
    page = text(client.get(f"/funds/batches/{b.pk}/"))
    assert "已撤销" in page and "发放已撤销：街道已发" in page
    other = household(fed.zs, 3, "郑和")
    pay(b, zs, other, "100")  # the list changed: the sheet signed for the old one is set aside
    b.refresh_from_db()
    assert not b.signed_sheet
    bare = client.post(f"/funds/batches/{b.pk}/signed-sheet/confirm/", follow=True)
    assert b.status == BatchStatus.DRAFT and "审核员" in text(bare)  # no bare declaration
    sheet = {"file": SimpleUploadedFile("签领表.jpg", b"\xff\xd8\xff" + b"0" * 64)}
    client.post(f"/funds/batches/{b.pk}/signed-sheet/", sheet)
    done = reviewer.post(
        f"/funds/batches/{b.pk}/signed-sheet/confirm/", {"note": "回单 0105"}, follow=True
    )
    b.refresh_from_db()
    assert b.status == BatchStatus.CONFIRMED and "已确认发放，已锁定" in text(done)
    assert "签领表已核对：回单 0105" in text(done) and b.confirmed_on == "signed"
    done = client.get(f"/funds/batches/{b.pk}/")
    assert 'id="add-line"' not in text(done)
    locked = client.post(f"/funds/batches/{b.pk}/lines/", line_data(household(fed.zs, 4)))
    assert locked.status_code == 400 and "已确认发放并锁定" in text(locked)


def test_batch_list_totals(fed, zs, login):
    b = batch(fed, fed.zs, zs, "统计批")
    pay(b, zs, household(fed.zs, 5), "100.10")
    pay(b, zs, household(fed.zs, 6), "200.20")
    page = text(
        login(fed.user("city", "viewer")).get(f"/funds/batches/?campaign={fed.campaign.pk}")
    )
    assert "统计批" in page and "300.30" in page and "待发放" in page


def test_date_inputs_are_iso(fed, zs, login):
    b = batch(fed, fed.zs, zs)
    page = text(login(zs).get(f"/funds/batches/{b.pk}/"))
    assert re.search(r'type="date" name="paid_on" value="\d{4}-\d{2}-\d{2}"', page)
