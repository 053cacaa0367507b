"""The permission matrix of the funds pages: reads scoped to the subtree (404 outside it),
writes for fillers and admins of the unit or above (403 for viewers and reviewers)."""

import pytest

from chunfeng.funds.models import PaymentBatch, PaymentLine, Receipt, Visit
from chunfeng.funds.receipts import receipt_create

from .helpers import PAID_ON, batch, household, pay, text


@pytest.fixture
def xg_books(fed):
    xg = fed.user("xg", "filler")
    h = household(fed.xg_g1, 1, "西岗职工")
    b = batch(fed, fed.xg, xg, "西岗第一批")
    line = pay(b, xg, h, "700")
    receipt_create(
        unit=fed.xg,
        campaign=fed.campaign,
        source="union",
        amount="8888",
        received_on=PAID_ON,
        note="西岗工会经费",
        actor=xg,
    )
    return b, line, h


def c(fed) -> str:
    return f"?campaign={fed.campaign.pk}"


def test_zs_filler_cannot_see_xg(fed, xg_books, login):
    b, line, h = xg_books
    client = login(fed.user("zs", "filler"))
    for url in (
        f"/funds/batches/{b.pk}/",
        f"/funds/batches/{b.pk}/sign-sheet.pdf",
        f"/funds/batches/{b.pk}/notice.pdf",
        f"/funds/batches/{b.pk}/bank.csv",
        f"/funds/{c(fed)}&unit=210203",
        f"/funds/receipts/{c(fed)}&unit=210203",
        f"/funds/coverage/{c(fed)}&unit=210203001",
    ):
        assert client.get(url).status_code == 404, url
    for page in ("/funds/receipts/", "/funds/batches/", "/funds/"):
        body = text(client.get(page + c(fed)))
        assert "8888" not in body and "西岗第一批" not in body, page


def test_zs_filler_cannot_write_xg(fed, xg_books, login):
    b, line, h = xg_books
    client = login(fed.user("zs", "filler"))
    posts = {
        f"/funds/batches/{b.pk}/lines/": {
            "id_number": h.id_number,
            "amount": "1",
            "kind": "cash",
            "aid_type": "condolence",
            "paid_on": "2012-01-05",
        },
        f"/funds/batches/{b.pk}/import/": {},
        f"/funds/batches/{b.pk}/signed-sheet/": {},
        f"/funds/batches/{b.pk}/bank-result/": {},
        f"/funds/lines/{line.pk}/cancel/": {"reason": "x"},
        f"/funds/receipts/add/{c(fed)}": {
            "unit": "210203",
            "source": "union",
            "amount": "1",
            "received_on": "2012-01-05",
        },
        f"/funds/batches/new/{c(fed)}": {"unit": "210203", "name": "越权"},
        f"/funds/visits/add/{c(fed)}": {
            "unit": "210203",
            "kind": "enterprise",
            "visitors": "x",
            "enterprise": "x",
            "visited_on": "2012-01-05",
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert PaymentLine.objects.count() == 1 and not PaymentLine.objects.get().cancelled
    assert Receipt.objects.count() == 1 and PaymentBatch.objects.count() == 1
    assert not Visit.objects.exists() and b.status == "draft"


def test_zs_filler_cannot_pay_a_household_of_xg(fed, xg_books, login):
    _b, _line, h = xg_books
    zs = fed.user("zs", "filler")
    own = batch(fed, fed.zs, zs)
    response = login(zs).post(
        f"/funds/batches/{own.pk}/lines/",
        {
            "id_number": h.id_number,
            "amount": "100",
            "kind": "cash",
            "aid_type": "condolence",
            "paid_on": "2012-01-05",
        },
    )
    assert response.status_code == 400 and "未在您的管辖范围内建立困难职工档案" in text(response)
    assert not own.lines.exists()


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_readers_cannot_write(fed, login, role):
    zs = fed.user("zs", "filler")
    h = household(fed.zs, 2)
    b = batch(fed, fed.zs, zs)
    line = pay(b, zs, h)
    client = login(fed.user("zs", role))
    posts = {
        f"/funds/batches/{b.pk}/lines/": {
            "id_number": h.id_number,
            "amount": "1",
            "kind": "cash",
            "aid_type": "condolence",
            "paid_on": "2012-01-05",
        },
        f"/funds/batches/{b.pk}/import/": {},
        f"/funds/batches/{b.pk}/signed-sheet/": {},
        f"/funds/batches/{b.pk}/bank-result/": {},
        f"/funds/lines/{line.pk}/cancel/": {"reason": "x"},
        f"/funds/receipts/add/{c(fed)}": {
            "unit": "210202",
            "source": "union",
            "amount": "1",
            "received_on": "2012-01-05",
        },
        f"/funds/batches/new/{c(fed)}": {"unit": "210202", "name": "越权"},
        f"/funds/visits/add/{c(fed)}": {
            "unit": "210202",
            "kind": "enterprise",
            "visitors": "x",
            "enterprise": "x",
            "visited_on": "2012-01-05",
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"/funds/batches/{b.pk}/bank.csv").status_code == 403
    assert b.lines.count() == 1 and not Receipt.objects.exists() and not Visit.objects.exists()
    page = text(client.get(f"/funds/batches/{b.pk}/"))
    assert 'action="/funds/batches/' not in page.replace(f"/funds/batches/{b.pk}/notice.pdf", "")


def test_grassroots_filler_cannot_write_for_the_district(fed, login):
    client = login(fed.user("zsg", "filler"))
    response = client.post(
        f"/funds/receipts/add/{c(fed)}",
        {"unit": "210202", "source": "union", "amount": "1", "received_on": "2012-01-05"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("key", ["city", "zs", "zsg", "ind"])
@pytest.mark.parametrize("role", ["filler", "reviewer", "admin", "viewer"])
def test_every_page_opens(fed, login, key, role):
    client = login(fed.user(key, role))
    for url in (
        "/funds/",
        "/funds/receipts/",
        "/funds/batches/",
        "/funds/visits/",
        "/funds/duplicates/",
        "/funds/coverage/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert fed.campaign.name in text(response)


def test_writers_get_forms_and_create(fed, login):
    client = login(fed.user("zsg", "filler"))  # a grassroots union spends in the city's campaign
    page = text(client.get(f"/funds/batches/{c(fed)}"))
    assert 'name="name"' in page and "210202001" in page
    response = client.post(
        f"/funds/batches/new/{c(fed)}", {"unit": "210202001", "name": "街道第一批"}
    )
    b = PaymentBatch.objects.get(name="街道第一批")
    assert response.status_code == 302 and response["Location"] == f"/funds/batches/{b.pk}/"
    client.post(
        f"/funds/receipts/add/{c(fed)}",
        {
            "unit": "210202001",
            "source": "donation",
            "amount": "1000.5",
            "received_on": "2012-01-02",
            "note": "爱心企业捐助",
        },
    )
    assert Receipt.objects.get().amount == 1000.5
    bad = client.post(
        f"/funds/receipts/add/{c(fed)}",
        {"unit": "210202001", "source": "donation", "amount": "1.005", "received_on": "2012-01-02"},
    )
    assert bad.status_code == 400 and "最多保留两位小数" in text(bad)


def test_unknown_campaign_is_404(fed, login):
    from chunfeng.campaigns.services import campaign_create

    xg_only = campaign_create(
        owner=fed.xg,
        name="西岗区基层送温暖",
        period_start=PAID_ON,
        period_end=PAID_ON,
        deadline=PAID_ON,
        forms={"F1": None},
        recipients=[fed.xg_g1],
    )
    client = login(fed.user("zs", "filler"))
    assert client.get(f"/funds/?campaign={xg_only.pk}").status_code == 404
    assert client.get("/funds/?campaign=999999").status_code == 404
    assert client.get("/funds/?campaign=abc").status_code == 404
