"""The register list as xlsx: the filtered rows of the user's subtree only, numbers masked unless
a permitted role chose full numbers (then logged, one access row per household, and in the
history), formula-safe text, and queries that do not grow with the number of households."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chunfeng.core.models import AuditEvent
from chunfeng.register.list_export import COLUMNS
from chunfeng.register.models import IdAccess
from tests.register.conftest import make_id, new_household

URL = reverse("household-list-export")
PHONE = "13912345678"
BANK = "6222020200112233445"


def rows_of(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == COLUMNS
    return rows[1:]


def col(name: str) -> int:
    return COLUMNS.index(name)


@pytest.fixture
def families(fed):
    """Two 中山区 files (one under its grassroots union, one C), one 西岗区 file."""
    return {
        "zs": new_household(fed, fed.zs, 1, name="张一", phone=PHONE, bank_account=BANK),
        "zsg": new_household(fed, fed.zs_g1, 2, name="王二", category="C"),
        "xg": new_household(fed, fed.xg, 3, name="李三"),
    }


def test_masked_by_default_and_only_the_subtree(fed, login, families):
    rows = rows_of(login(fed.user("zs", "filler")).get(URL))
    assert sorted(r[col("姓名")] for r in rows) == ["张一", "王二"]
    zs = next(r for r in rows if r[col("姓名")] == "张一")
    assert zs[col("身份证号码")] != make_id(1) and make_id(1)[-4:] in zs[col("身份证号码")]
    assert zs[col("联系电话")] != PHONE and zs[col("银行卡号")] != BANK
    assert "*" in zs[col("银行卡号")]
    assert not IdAccess.objects.exists()


def test_the_list_filters_apply(fed, login, families):
    client = login(fed.user("city", "viewer"))
    assert len(rows_of(client.get(URL))) == 3
    rows = rows_of(client.get(URL, {"category": "C"}))
    assert [r[col("姓名")] for r in rows] == ["王二"]
    rows = rows_of(client.get(URL, {"unit": fed.xg.code}))
    assert [r[col("姓名")] for r in rows] == ["李三"]
    assert [r[col("姓名")] for r in rows_of(client.get(URL, {"q": "张"}))] == ["张一"]


def test_an_other_subtree_unit_gives_nothing_of_it(fed, login, families):
    response = login(fed.user("zs", "filler")).get(URL, {"unit": fed.xg.code})
    if response.status_code == 200:
        assert all(r[col("姓名")] != "李三" for r in rows_of(response))
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("who", ["viewer", "reviewer", "admin", "filler"])
def test_every_role_exports_masked(fed, login, who, families):
    rows = rows_of(login(fed.user("zs", who)).get(URL))
    assert len(rows) == 2 and all(
        r[col("身份证号码")] not in (make_id(1), make_id(2)) for r in rows
    )


def test_full_numbers_for_a_permitted_role_are_logged(fed, login, families):
    filler = fed.user("zs", "filler")
    rows = rows_of(login(filler).post(URL, {"full": "1", "category": "B"}))
    assert [r[col("身份证号码")] for r in rows] == [make_id(1)]
    assert rows[0][col("联系电话")] == PHONE and rows[0][col("银行卡号")] == BANK
    logged = IdAccess.objects.get(purpose="export:list")
    assert logged.user == filler and logged.household == families["zs"]
    assert logged.details == {"filter": {"category": "B"}, "count": 1}
    event = AuditEvent.objects.get(action="household.export_full")
    assert event.actor == filler and event.details["count"] == 1
    assert make_id(1) not in str(event.details) and make_id(1) not in str(logged.details)


def test_the_logged_filter_names_the_unit_but_no_number(fed, login, families):
    client = login(fed.user("zs", "filler"))
    rows = rows_of(client.post(URL, {"full": "1", "unit": fed.zs_g1.code, "q": "王2"}))
    assert rows == []
    rows_of(client.post(URL, {"full": "1", "unit": fed.zs_g1.code}))
    logged = IdAccess.objects.get(purpose="export:list")
    assert logged.details["filter"] == {"unit": fed.zs_g1.code}
    assert AuditEvent.objects.filter(action="household.export_full").count() == 2


@pytest.mark.parametrize("who", ["viewer", "reviewer"])
def test_full_numbers_refused_to_other_roles(fed, login, families, who):
    response = login(fed.user("zs", who)).post(URL, {"full": "1"})
    assert response.status_code == 403
    assert not IdAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="household.export_full").exists()


def test_a_get_never_gives_full_numbers(fed, login, families):
    rows = rows_of(login(fed.user("zs", "filler")).get(URL, {"full": "1"}))
    assert make_id(1) not in [r[col("身份证号码")] for r in rows]
    assert not IdAccess.objects.exists()


def test_formula_text_is_stored_as_text(fed, login):
    new_household(fed, fed.zs, 7, employer='=HYPERLINK("http://x")')
    response = login(fed.user("zs", "filler")).get(URL)
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cell = sheet.cell(row=2, column=col("工作单位") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=")


def test_the_list_page_offers_the_export(fed, login, families):
    filler_page = login(fed.user("zs", "filler")).get(reverse("household-list"), {"status": ""})
    assert URL in filler_page.content.decode() and 'name="full"' in filler_page.content.decode()
    viewer_page = login(fed.user("zs", "viewer")).get(reverse("household-list"))
    assert URL in viewer_page.content.decode() and 'name="full"' not in viewer_page.content.decode()


def _queries(client, full: bool) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL, {"full": "1"}) if full else client.get(URL)
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("full", [False, True])
def test_queries_do_not_grow_with_the_households(fed, login, full):
    client = login(fed.user("zs", "filler"))
    for seq in range(10, 15):
        new_household(fed, fed.zs, seq)
    few = _queries(client, full)
    for seq in range(15, 60):
        new_household(fed, fed.zs, seq)
    assert _queries(client, full) == few
