"""Import of a unit list: CSV (UTF-8 or GBK, with or without BOM), xlsx and xls, every problem named with its
row and column, and all or nothing."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.orgunits.importers import rows_from_upload
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.services import IMPORT_COLUMNS, orgunit_import, orgunit_retire

HEADER = ",".join(IMPORT_COLUMNS)
GOOD = [
    ["210202010", "中山区桃源街道总工会", "基层工会", "210202", "赵六", "82000010"],
    ["2102C08", "中山区商贸产业工会", "产业工会", "210202", "", ""],
    ["2102C0801", "大连某商场工会", "grassroots", "2102C08", "钱七", "82000011"],
]


def csv_bytes(rows, *, bom=False, header=HEADER) -> bytes:
    text = "\r\n".join([header, *(",".join(r) for r in rows)]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def xlsx_bytes(rows, header=IMPORT_COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name="units.csv"):
    return SimpleUploadedFile(name, data)


def as_rows(rows):
    return [(n, dict(zip(IMPORT_COLUMNS, r, strict=True))) for n, r in enumerate(rows, start=2)]


def problems(rows, actor) -> list[str]:
    with pytest.raises(ApplicationError) as err:
        orgunit_import(rows=as_rows(rows), actor=actor)
    assert err.value.code == "import_invalid"
    return err.value.details


# --- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_csv_import_creates_the_units_with_their_parents(fed, bom):
    rows = rows_from_upload(upload(csv_bytes(GOOD, bom=bom)))
    assert list(rows[0][1])[0] == "代码"  # the BOM is not part of the first column name
    created = orgunit_import(rows=rows, actor=fed.user("zs", "admin"))
    assert [u.code for u in created] == ["210202010", "2102C08", "2102C0801"]
    shop = OrgUnit.objects.get(code="2102C0801")
    assert shop.path == "/210200/210202/2102C08/2102C0801/"
    assert (shop.kind, shop.contact_person, shop.contact_phone) == (
        "grassroots",
        "钱七",
        "82000011",
    )


def test_xlsx_import_with_numeric_cells(fed):
    rows = [[210202010, "中山区桃源街道总工会", "基层工会", 210202, "赵六", 82000010.0]]
    created = orgunit_import(
        rows=rows_from_upload(upload(xlsx_bytes(rows), "单位.xlsx")), actor=fed.user("zs", "admin")
    )
    assert [(u.code, u.parent.code, u.contact_phone) for u in created] == [
        ("210202010", "210202", "82000010")
    ]


def test_blank_lines_are_skipped_but_counted(fed):
    data = csv_bytes([GOOD[0], ["", "", "", "", "", ""]]) + b"\r\n" + ",".join(GOOD[2]).encode()
    with pytest.raises(ApplicationError) as err:
        orgunit_import(rows=rows_from_upload(upload(data)), actor=fed.user("zs", "admin"))
    assert err.value.details == ["第 5 行 上级代码：单位 2102C08 不存在"]


def test_a_file_that_is_not_a_spreadsheet_is_refused(fed):
    with pytest.raises(ApplicationError, match="不是 Excel（xlsx/xls）或 CSV 文件") as err:
        rows_from_upload(upload(b"x", "units.doc"))
    assert err.value.code == "bad_type"


def test_a_csv_saved_by_excel_in_gbk_imports(fed):
    """Excel in China saves “CSV (逗号分隔)” in GBK: the one reader falls back to GB18030."""
    rows = rows_from_upload(upload(csv_bytes(GOOD).decode().encode("gbk")))
    created = orgunit_import(rows=rows, actor=fed.user("zs", "admin"))
    assert [u.name for u in created][0] == GOOD[0][1]


def test_a_csv_in_neither_utf8_nor_gbk_is_refused(fed):
    with pytest.raises(ApplicationError, match="无法识别 CSV 文件的编码") as err:
        rows_from_upload(upload(b"\xff\xfe\x00\xd8\x81", "units.csv"))
    assert err.value.code == "bad_encoding"


def test_a_broken_xlsx_is_refused(fed):
    with pytest.raises(ApplicationError, match="已损坏") as err:
        rows_from_upload(upload(b"PK\x03\x04 not really", "units.xlsx"))
    assert err.value.code == "damaged"


def test_a_legacy_xls_saved_by_libreoffice_imports(fed, tmp_path):
    """Old .xls files are read too (python-calamine), the same way as xlsx."""
    import subprocess

    source = tmp_path / "units.xlsx"
    source.write_bytes(xlsx_bytes(GOOD))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = (tmp_path / "units.xls").read_bytes()
    created = orgunit_import(
        rows=rows_from_upload(upload(data, "units.xls")), actor=fed.user("zs", "admin")
    )
    assert len(created) == len(GOOD)


def test_missing_columns_are_named(fed):
    data = "代码,名称,联系人\n1,x,\n".encode()
    with pytest.raises(ApplicationError) as err:
        rows_from_upload(upload(data))
    assert err.value.details == ["第 1 行：缺少列“类别”", "第 1 行：缺少列“上级代码”"]


def test_an_empty_file_is_refused(fed):
    with pytest.raises(ApplicationError, match="文件是空的"):
        rows_from_upload(upload(b""))
    with pytest.raises(ApplicationError, match="没有单位数据"):
        orgunit_import(rows=rows_from_upload(upload(csv_bytes([]))), actor=fed.user("zs", "admin"))


# --- row errors ------------------------------------------------------------------------------


def test_every_kind_of_row_error_is_named_with_row_and_column(fed):
    orgunit_retire(unit=fed.zs_g1, on=dt.date(2012, 3, 1))
    rows = [
        ["", "", "", "", "", ""],  # 2: blank, skipped
        ["", "", "", "", "", ""],  # 3: blank, skipped
        ["A1", "", "街道", "210202", "", ""],  # 4
        ["A2", "甲", "基层工会", "999", "", ""],  # 5
        ["210203001", "乙", "基层工会", "210202", "", ""],  # 6: code exists
        ["A3", "丙", "基层工会", "210203", "", ""],  # 7: parent outside the subtree
        ["A4", "丁", "基层工会", "210202001", "", ""],  # 8: retired and grassroots
        ["A2", "戊", "基层工会", "210202", "", ""],  # 9: repeats row 5
        ["A5", "己", "区市县总工会", "210202", "", ""],  # 10: wrong kind of parent
        ["A6", "庚", "基层工会", "A7", "", ""],  # 11: parent listed later
        ["A7", "辛", "产业工会", "210202", "", ""],  # 12
        ["A/8", "壬" * 129, "基层工会", "A/8", "", "1" * 33],  # 13
        ["A9", "癸", "基层工会", "A1", "", ""],  # 14: parent row 4 has no valid kind
    ]
    assert problems(rows, fed.user("zs", "admin")) == [
        "第 4 行 名称：不能为空",
        "第 4 行 类别：“街道”无效，应为 省总工会、市总工会、区市县总工会、产业工会、基层工会",
        "第 5 行 上级代码：单位 999 不存在",
        "第 6 行 代码：单位代码 210203001 已存在",
        "第 7 行 上级代码：单位 210203 不在您的管辖范围内",
        "第 8 行 上级代码：上级单位 210202001 已撤销",
        "第 9 行 代码：与第 5 行重复",
        "第 10 行 上级代码：区市县总工会的上级应为市总工会，而单位 210202 是区市县总工会",
        "第 11 行 上级代码：单位 A7 在第 12 行，上级单位须排在本行之前",
        "第 13 行 代码：“A/8”只能由字母、数字、- 和 _ 组成",
        "第 13 行 名称：不能超过 128 个字符",
        "第 13 行 上级代码：不能以本单位作为上级",
        "第 13 行 联系电话：不能超过 32 个字符",
    ]


def test_required_columns_are_each_reported(fed):
    assert problems([["", "", "", "", "张三", ""]], fed.user("zs", "admin")) == [
        "第 2 行 代码：不能为空",
        "第 2 行 名称：不能为空",
        "第 2 行 类别：不能为空",
        "第 2 行 上级代码：不能为空",
    ]


def test_the_parent_kind_is_checked_against_an_earlier_row(fed):
    rows = [GOOD[0], ["A1", "甲", "基层工会", "210202010", "", ""]]
    assert problems(rows, fed.user("zs", "admin")) == [
        "第 3 行 上级代码：基层工会的上级应为市总工会、区市县总工会、产业工会，"
        "而单位 210202010 是基层工会"
    ]


def test_a_file_with_one_bad_row_creates_nothing(fed):
    before = OrgUnit.objects.count()
    rows = [*GOOD, ["A1", "甲", "基层工会", "210203", "", ""]]
    assert problems(rows, fed.user("zs", "admin")) == [
        "第 5 行 上级代码：单位 210203 不在您的管辖范围内"
    ]
    assert OrgUnit.objects.count() == before


def test_a_failure_while_creating_rolls_back_the_earlier_rows(fed, monkeypatch):
    from chunfeng.orgunits import services

    real = services.orgunit_create

    def fail_on_third(**kwargs):
        if kwargs["code"] == "2102C0801":
            raise ApplicationError("模拟的失败")
        return real(**kwargs)

    monkeypatch.setattr(services, "orgunit_create", fail_on_third)
    before = OrgUnit.objects.count()
    with pytest.raises(ApplicationError, match="第 4 行：模拟的失败"):
        orgunit_import(rows=as_rows(GOOD), actor=fed.user("zs", "admin"))
    assert OrgUnit.objects.count() == before


@pytest.mark.parametrize("role", ["filler", "reviewer", "viewer"])
def test_only_admins_may_import(fed, role):
    with pytest.raises(NotPermitted):
        orgunit_import(rows=as_rows(GOOD), actor=fed.user("zs", role))
    assert not OrgUnit.objects.filter(code="210202010").exists()


# --- the page --------------------------------------------------------------------------------


def test_import_page_creates_the_units_and_reports_the_count(fed, login):
    client = login(fed.user("zs", "admin"))
    file = upload(xlsx_bytes(GOOD), "units.xlsx")
    response = client.post("/units/import/", {"file": file}, follow=True)
    assert response.redirect_chain[-1][0] == "/units/"
    assert "导入成功，共新增 3 个单位" in response.content.decode()
    assert OrgUnit.objects.filter(code__in=["210202010", "2102C08", "2102C0801"]).count() == 3


def test_import_page_lists_every_error_and_creates_nothing(fed, login):
    client = login(fed.user("zs", "admin"))
    rows = [*GOOD, ["A1", "", "基层工会", "999", "", ""]]
    response = client.post("/units/import/", {"file": upload(csv_bytes(rows, bom=True))})
    page = response.content.decode()
    assert response.status_code == 400
    assert "共发现 2 处问题" in page
    assert "第 5 行 名称：不能为空" in page and "第 5 行 上级代码：单位 999 不存在" in page
    assert not OrgUnit.objects.filter(code="210202010").exists()


def test_import_page_shows_a_file_level_error(fed, login):
    client = login(fed.user("zs", "admin"))
    response = client.post("/units/import/", {"file": upload(b"a,b\r\n1,2\r\n")})
    assert response.status_code == 400
    assert "缺少列“代码”" in response.content.decode()


def test_template_csv_has_the_headers_and_an_example_that_imports(fed, login):
    response = login(fed.user("zs", "admin")).get("/units/import/template.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    rows = rows_from_upload(upload(data))
    assert len(rows) == 1 and rows[0] == (2, rows[0][1]) and rows[0][1]["上级代码"] == "210202"
    assert [u.code for u in orgunit_import(rows=rows, actor=fed.user("zs", "admin"))] == [
        "210202901"
    ]


@pytest.mark.parametrize("role", ["filler", "reviewer", "viewer"])
def test_import_pages_are_for_admins_only(fed, login, role):
    client = login(fed.user("zs", role))
    assert client.get("/units/import/").status_code == 403
    assert client.get("/units/import/template.csv").status_code == 403
    response = client.post("/units/import/", {"file": upload(csv_bytes(GOOD))})
    assert response.status_code == 403
    assert not OrgUnit.objects.filter(code="210202010").exists()
