"""Crafted spreadsheets are refused before they are parsed, in bounded time and memory, and XML
entities are never expanded."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.core import tables
from chunfeng.core.errors import ApplicationError
from chunfeng.core.tables import Bounds, Table, workbook_sheets
from chunfeng.core.zipcheck import inspect_zip
from chunfeng.register.listfile import BOUNDS as HOUSEHOLD_BOUNDS
from chunfeng.sheets.reader import TEMPLATE_BOUNDS

from . import hostile

MB = 1024 * 1024


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return hostile.zip_bomb(52)


@pytest.fixture
def parsers(monkeypatch):
    """The spreadsheet parsers' entry points, recording each call (and then working as usual)."""
    calls: list[str] = []
    calamine, openpyxl_load = tables.CalamineWorkbook, tables.load_workbook

    class Calamine:
        @staticmethod
        def from_filelike(*args, **kwargs):
            calls.append("calamine")
            return calamine.from_filelike(*args, **kwargs)

        @staticmethod
        def from_path(*args, **kwargs):
            calls.append("calamine")
            return calamine.from_path(*args, **kwargs)

    def load_workbook(*args, **kwargs):
        calls.append("openpyxl")
        return openpyxl_load(*args, **kwargs)

    monkeypatch.setattr(tables, "CalamineWorkbook", Calamine)
    monkeypatch.setattr(tables, "load_workbook", load_workbook)
    return calls


def refused(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def test_the_bomb_unpacks_to_52_mb_from_a_few_hundred_kb(bomb):
    assert len(bomb) < 300 * 1024


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(bomb, parsers):
    source = hostile.CountingFile(bomb)
    error = refused(lambda: inspect_zip(source, "报表.xlsx", TEMPLATE_BOUNDS))
    assert error.code == "too_large" and "52 MB" in error.message and "16 MB" in error.message
    # the directory at the end of the file, never the 160 KB of compressed cells
    assert source.read_bytes < 70 * 1024 < len(bomb) // 2
    assert parsers == []


def test_a_zip_bomb_within_the_size_is_refused_by_its_ratio(bomb, parsers):
    """A household list may unpack to 256 MB, but not at hundreds to one."""
    error = refused(lambda: Table(bomb, "名单.xlsx", bounds=HOUSEHOLD_BOUNDS).header())
    assert error.code == "suspicious_file" and "压缩比" in error.message
    assert parsers == []


def test_the_report_import_page_refuses_the_bomb_at_once(fed, login, bomb, parsers):
    client = login(fed.user("zs", "filler"))
    url = f"/campaigns/{fed.campaign.pk}/reports/210202/F1/import/"
    client.get(url)  # templates loaded and compiled outside the measure
    started = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile("报表.xlsx", bomb)})
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "解压后有 52 MB" in response.content.decode()
    assert parsers == []
    assert elapsed < 1.5
    tracemalloc.start()
    client.post(url, {"file": SimpleUploadedFile("报表.xlsx", bomb)})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * MB  # the upload is 160 KB; reading it unpacked would take 52 MB and more


def test_sizes_that_lie_in_the_directory_are_caught_by_the_reader(parsers):
    data = hostile.lying_sizes(hostile.zip_bomb(20))
    error = refused(lambda: workbook_sheets(data, "报表.xlsx", bounds=TEMPLATE_BOUNDS))
    assert error.code == "damaged"  # calamine stops at the declared size


def test_a_directory_of_thousands_of_parts_is_refused():
    error = refused(lambda: Table(hostile.many_parts(1200), "名单.xlsx").header())
    assert error.code == "suspicious_file" and "1,2" in error.message


def test_rows_beyond_the_route_are_refused_by_the_dimension_before_parsing(parsers):
    data = hostile.dimension("A1:C600000")
    error = refused(lambda: Table(data, "名单.xlsx", bounds=HOUSEHOLD_BOUNDS).header())
    assert error.code == "too_many_rows" and "600,000" in error.message
    error = refused(lambda: Table(hostile.dimension("A1:ZZ2"), "名单.xlsx").header())
    assert error.code == "too_many_columns"
    assert parsers == []


def test_a_dimension_that_lies_is_caught_once_the_sheet_is_loaded():
    data = hostile.dimension("A1:A1", rows=60)
    error = refused(lambda: workbook_sheets(data, "报表.xlsx", bounds=Bounds(rows=50)))
    assert error.code == "too_many_rows" and "60" in error.message


def test_csv_rows_beyond_the_route_are_refused():
    data = ("代码,名称\n" + "1,甲\n" * 30).encode()
    error = refused(lambda: list(Table(data, "units.csv", bounds=Bounds(rows=20)).rows()))
    assert error.code == "too_many_rows"


@pytest.mark.parametrize(
    "data",
    [hostile.external_entity(), hostile.billion_laughs()],
    ids=["external entity", "billion laughs"],
)
def test_xml_entities_are_refused_not_expanded(data):
    started = time.perf_counter()
    for read in (
        lambda: Table(data, "名单.xlsx").header(),
        lambda: workbook_sheets(data, "报表.xlsx"),
    ):
        error = refused(read)
        assert error.code == "damaged" and "root:" not in error.message
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "data",
    [hostile.external_entity(used=False), hostile.billion_laughs(used=False)],
    ids=["external entity", "billion laughs"],
)
def test_entities_declared_but_unused_are_refused_by_openpyxl_through_defusedxml(data, parsers):
    """calamine skips a DOCTYPE it does not need; openpyxl (formulas) meets it and refuses."""
    error = refused(lambda: workbook_sheets(data, "报表.xlsx"))
    assert error.code == "damaged"
    assert parsers == ["calamine", "openpyxl"]


@pytest.mark.parametrize("route", ["page", "api"])
def test_entities_in_an_upload_are_a_400_not_a_500(fed, login, api, route):
    upload = SimpleUploadedFile("报表.xlsx", hostile.external_entity())
    path = f"/campaigns/{fed.campaign.pk}/reports/210202/F1/import/"
    if route == "page":
        response = login(fed.user("zs", "filler")).post(path, {"file": upload})
    else:
        client = api(fed.token("zs", "filler"))
        path = f"/api/v1/campaigns/{fed.campaign.pk}/reports/210202/F1/import"
        response = client.post(path, {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "已损坏" in (response.json()["message"] if route == "api" else body)
