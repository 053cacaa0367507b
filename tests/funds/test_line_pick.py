"""The batch page's household picker: a name, an ID fragment or a phone fragment (posted, never
in a URL) finds active files of the batch unit's subtree, shown masked; the file picked is put in
the add-line form by its search token, and the line is added with its number."""

from chunfeng.funds.models import PaymentLine

from .helpers import PAID_ON, batch, household, squash, text

HX = {"HTTP_HX_REQUEST": "true"}


def _find(client, b, q):
    return client.post(f"/funds/batches/{b.pk}/pick/", {"q": q}, **HX)


def test_a_household_is_found_by_name_id_fragment_or_phone_masked(fed, login):
    zs = fed.user("zs", "filler")
    hh = household(fed.zs_g1, 7, "张三丰", phone="13912345678")
    household(fed.xg_g1, 8, "张三丰乙")  # another district: never offered
    b = batch(fed, fed.zs, zs)
    client = login(zs)
    for q in ("三丰", hh.id_number[-6:], "2345678"):
        page = text(_find(client, b, q))
        assert "张三丰" in page and "张三丰乙" not in page, q
        assert hh.id_number not in page and "13912345678" not in page, q
    assert "没有找到" in text(_find(client, b, "12"))  # too few digits, not a name


def test_the_pick_fills_the_form_by_token_and_adds_the_line(fed, login):
    zs = fed.user("zs", "filler")
    hh = household(fed.zs_g1, 7, "张三丰")
    b = batch(fed, fed.zs, zs)
    client = login(zs)
    form = squash(text(client.post(f"/funds/batches/{b.pk}/pick/", {"pick": hh.pk}, **HX)))
    assert "已选：张三丰" in form and hh.id_number not in form and hh.id_token in form
    response = client.post(
        f"/funds/batches/{b.pk}/lines/",
        {
            "recipient": "household",
            "id_number": hh.id_token,
            "name": "",
            "amount": "500",
            "kind": "cash",
            "aid_type": "condolence",
            "paid_on": PAID_ON.isoformat(),
        },
    )
    assert response.status_code == 302
    line = PaymentLine.objects.get()
    assert (line.household, line.id_number) == (hh, hh.id_number)


def test_a_token_of_a_file_outside_the_batch_unit_is_refused(fed, login):
    zs = fed.user("zs", "filler")
    other = household(fed.zs, 9, "区直户")  # the district's own file, not the street's
    b = batch(fed, fed.zs_g1, zs)
    response = login(zs).post(
        f"/funds/batches/{b.pk}/lines/",
        {
            "recipient": "household",
            "id_number": other.id_token,
            "amount": "500",
            "kind": "cash",
            "aid_type": "condolence",
            "paid_on": PAID_ON.isoformat(),
        },
    )
    assert response.status_code == 400 and "不在本批次单位的管辖范围内" in text(response)
    assert not PaymentLine.objects.exists()


def test_another_subtree_s_batch_is_not_found_and_readers_are_refused(fed, login):
    zs = fed.user("zs", "filler")
    hh = household(fed.zs_g1, 7, "张三丰")
    b = batch(fed, fed.zs, zs)
    assert _find(login(fed.user("xg", "filler")), b, "张").status_code == 404
    assert _find(login(fed.user("zs", "viewer")), b, "张").status_code == 403
    response = login(fed.user("xg", "filler")).post(
        f"/funds/batches/{b.pk}/pick/", {"pick": hh.pk}, **HX
    )
    assert response.status_code == 404
