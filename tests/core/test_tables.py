"""The one reader of uploaded spreadsheets and CSV files."""

from __future__ import annotations

import io

import openpyxl
import pytest

from chunfeng.core.errors import ApplicationError
from chunfeng.core.tables import Table, cell_problem, column_letter, workbook_sheets


def xlsx(rows, *, merge=None, formula=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula:
        sheet[formula] = "=1+2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_or_gbk_reads_alike(encoding):
    data = "姓名,身份证号码\n王大山,210202196503120016\n".encode(encoding)
    table = Table(data, "名单.csv")
    assert table.header().columns == ["姓名", "身份证号码"]
    assert list(table.named_records()) == [
        (2, {"姓名": "王大山", "身份证号码": "210202196503120016"})
    ]


def test_tab_separated_text_and_blank_rows_above_the_header():
    table = Table("\n\n代码\t名称\n1\t甲\n\n2\t乙\n".encode(), "units.txt")
    assert table.header().row == 3
    assert [n for n, _ in table.named_records()] == [4, 6]


def test_xlsx_rows_keep_an_id_typed_as_a_number_when_asked():
    table = Table(xlsx([["身份证号码", "电话"], [2.10202196503e17, 13904110001]]), "a.xlsx")
    ((row, data),) = table.records({"id": 0, "phone": 1}, keep_numbers=frozenset({"id"}))
    assert row == 2 and isinstance(data["id"], float) and data["phone"] == "13904110001"


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"%PDF-1.4", "a.pdf", "bad_type"),
        (b"just text", "a.xlsx", "bad_type"),
        (b"PK\x03\x04 cut short", "a.xlsx", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 cut short", "a.xls", "damaged"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "a.xlsx",
            "encrypted",
        ),
        (b"\xff\xfe\x00\xd8", "a.csv", "bad_encoding"),
        (b"", "a.csv", "import_empty"),
        (b"\n\n\n", "a.csv", "import_empty"),
    ],
)
def test_one_set_of_refusals(data, name, code):
    with pytest.raises(ApplicationError) as refused:
        Table(data, name).header()
    assert refused.value.code == code
    assert refused.value.message  # a Chinese sentence


def test_header_is_searched_in_the_first_rows_only():
    with pytest.raises(ApplicationError, match="前 3 行都是空行"):
        Table(b"\n\n\n\nx\n", "a.csv").header(search_rows=3)


def test_a_workbook_read_by_address_with_formulas_and_merged_cells():
    data = xlsx([["a", 1], ["b", 2.5]], merge="D5:E6", formula="C3")
    ((title, cells),) = workbook_sheets(data, "t.xlsx").items()
    assert cells.values["A1"] == "a" and cells.values["B2"] == 2.5
    assert cells.formulas == {"C3"}
    assert cells.merged == ["D5:E6"]


def test_a_csv_is_no_workbook():
    with pytest.raises(ApplicationError) as refused:
        workbook_sheets(b"a,b\n", "t.csv")
    assert refused.value.code == "bad_type"


def test_problems_name_row_and_column():
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(27) == "AB"
    assert cell_problem(7, "金额", "应大于 0")["text"] == "第 7 行“金额”：应大于 0"
