"""The ID access log: every full view or export of personal numbers logged (exports household by
household, with the batch), read by auditors — viewers and admins — over their own subtree, on a
page with filters and with ``chunfeng id-access``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from chunfeng.register.access import id_access_log
from chunfeng.register.models import IdAccess
from tests.funds.helpers import batch, household, pay

URL = reverse("id-access-list")


@pytest.fixture
def logged(fed, login):
    """A district filler revealed a 中山区 file and printed a signature sheet of two families;
    西岗区's filler revealed one of its own; an older export row without households."""
    zs_family = household(fed.zs, 1, "张一")
    zsg_family = household(fed.zs_g1, 2, "王二")
    xg_family = household(fed.xg, 3, "李三")
    zs_filler, xg_filler = fed.user("zs", "filler"), fed.user("xg", "filler")
    login(zs_filler).post(reverse("household-reveal", args=[zs_family.pk]))
    b = batch(fed, fed.zs, zs_filler, "春节第一批")
    pay(b, zs_filler, zs_family)
    pay(b, zs_filler, zsg_family)
    assert login(zs_filler).get(f"/funds/batches/{b.pk}/sign-sheet.pdf").status_code == 200
    login(xg_filler).post(reverse("household-reveal", args=[xg_family.pk]))
    id_access_log(user=xg_filler, purpose="export:bank", count=30)  # as rows were before
    return {"zs": zs_family, "zsg": zsg_family, "xg": xg_family, "batch": b}


def rows(page: str) -> int:
    return page.count("<tr><td>20")  # each row starts with its date


@pytest.mark.parametrize(
    "who, status", [("viewer", 200), ("admin", 200), ("filler", 403), ("reviewer", 403)]
)
def test_who_reads_the_page(fed, login, logged, who, status):
    assert login(fed.user("zs", who)).get(URL).status_code == status


def test_the_page_lists_the_subtree_with_each_exported_household(fed, login, logged):
    exported = IdAccess.objects.filter(purpose="export:sign-sheet")
    assert {row.household for row in exported} == {logged["zs"], logged["zsg"]}
    assert all(row.details["batch"] == logged["batch"].pk for row in exported)
    city = login(fed.user("city", "viewer")).get(URL).content.decode()
    assert rows(city) == 5 and "春节第一批" in city and "李三" in city
    zs = login(fed.user("zs", "admin")).get(URL).content.decode()
    assert rows(zs) == 3 and "李三" not in zs and "王二" in zs
    for family in ("zs", "zsg", "xg"):
        assert logged[family].id_number not in city


def test_the_filters(fed, login, logged):
    client = login(fed.user("city", "viewer"))

    def count(**params):
        return rows(client.get(URL, params).content.decode())

    assert count(user="zs_filler") == 3
    assert count(purpose="view") == 2
    assert count(household=logged["zsg"].pk) == 1
    assert count(unit="210203") == 2  # the file of 西岗区 and the export made by its filler
    today = timezone.localdate()
    assert count(since=today.isoformat(), until=today.isoformat()) == 5
    assert count(until=(today - dt.timedelta(days=1)).isoformat()) == 0
    assert client.get(URL, {"unit": "999999"}).status_code == 404
    assert login(fed.user("zs", "viewer")).get(URL, {"unit": "210203"}).status_code == 404


def test_the_command(fed, logged):
    out = io.StringIO()
    call_command("id-access", "--unit", "210202", "--user", "zs_filler", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t")[:4] == ["时间", "用户", "用户单位", "用途"]
    assert len(lines) == 4
    assert sum("打印签领表" in line for line in lines) == 2
    assert any("页面查看完整号码" in line and "张一" in line for line in lines)
    assert all(logged["zs"].id_number not in line for line in lines)
    out = io.StringIO()
    since = timezone.localdate() + dt.timedelta(days=1)
    call_command("id-access", "--since", since.isoformat(), stdout=out)
    assert len(out.getvalue().splitlines()) == 1  # the header only
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("id-access", "--since", "yesterday")
    with pytest.raises(CommandError, match="没有代码为"):
        call_command("id-access", "--unit", "999")
