"""ID numbers (GB 11643) are checked the same way in the forms and in the import; Excel's ways
of spoiling them (a number, scientific notation, the last digits turned into 000) are caught
and the user is told to format the column as text."""

import pytest
from django.urls import reverse

from chunfeng.core.idnumbers import InvalidIdNumber, check_digit, parse_id
from chunfeng.register.forms import HouseholdForm
from chunfeng.register.import_jobs import check_file
from chunfeng.register.listfile import CONTRACT, HouseholdFile, contract_mapping
from chunfeng.register.models import Household
from chunfeng.register.validation import quick_parse_id

from .conftest import csv_bytes, make_id, row, wrong_check, xlsx_bytes


def with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def ends_000() -> str:
    """A number whose last three digits were lost to Excel (000 with a wrong check digit)."""
    for seq in range(1, 200):
        first17 = f"21020219800101{seq:03d}"[:15] + "00"
        if check_digit(first17) != "0":
            return first17 + "0"
    raise AssertionError


FIFTEEN = "210202800101123"  # born 1980-01-01, legacy 15 digits
BAD = {
    "wrong check digit": (wrong_check(make_id(7)), "校验位"),
    "bad birth date": (with_check("21020219801301123"), "出生日期"),
    "bad region": (with_check("99020219800101123"), "地区码"),
    "too short": ("2102021980010112", "18 位"),
    "scientific notation": ("2.10202E+17", "科学计数法"),
    "last digits 000": (ends_000(), "000"),
}


@pytest.mark.parametrize("case", BAD)
def test_the_form_names_the_id_problem(db, case):
    value, words = BAD[case]
    form = HouseholdForm(
        {
            "name": "甲",
            "id_number": value,
            "category": "B",
            "family_size": 1,
            "income": 0,
            "unit": "x",
        },
        units=[],
    )
    assert not form.is_valid()
    assert words in form.errors["id_number"][0]


def test_the_form_accepts_a_valid_and_a_15_digit_number(db):
    for value in (make_id(5), make_id(5).lower(), FIFTEEN):
        form = HouseholdForm(
            {
                "name": "甲",
                "id_number": value,
                "category": "B",
                "family_size": 1,
                "income": 0,
                "unit": "x",
            },
            units=[],
        )
        form.is_valid()
        assert "id_number" not in form.errors
        assert len(form.cleaned_data["id_number"]) == 18
    assert parse_id(FIFTEEN).number == "210202" + "19800101123" + check_digit("21020219800101123")


def check(tmp_path, data: bytes, name: str):
    path = tmp_path / name
    path.write_bytes(data)
    file = HouseholdFile(path)
    return check_file(file, contract_mapping(file.header().columns))


@pytest.mark.parametrize("case", BAD)
def test_the_import_names_row_column_and_reason(db, tmp_path, case):
    value, words = BAD[case]
    data = csv_bytes([row(1), row(2, 身份证号码=value)])
    result = check(tmp_path, data, "h.csv")
    assert result.valid == 1
    [error] = result.errors
    assert error["row"] == 3 and error["column"] == "身份证号码"
    assert words in error["message"]


@pytest.mark.parametrize("number", [2.10202198001011e17, 210202198001011000.0])
def test_an_id_excel_turned_into_a_number_asks_for_a_text_column(db, tmp_path, number):
    result = check(tmp_path, xlsx_bytes([row(1), row(2, 身份证号码=number)]), "h.xlsx")
    [error] = result.errors
    assert error["row"] == 3 and error["column"] == "身份证号码"
    assert "数字" in error["message"] and "文本" in error["message"]


def test_sci_notation_and_000_tell_the_user_to_format_the_column_as_text(db, tmp_path):
    result = check(
        tmp_path,
        csv_bytes([row(1, 身份证号码="2.10202E+17"), row(2, 身份证号码=ends_000())]),
        "h.csv",
    )
    assert [e["row"] for e in result.errors] == [2, 3]
    assert all("文本" in e["message"] for e in result.errors)


def test_a_15_digit_number_is_imported_as_18_digits(fed, tmp_path):
    from chunfeng.register.import_jobs import import_file

    path = tmp_path / "h.csv"
    path.write_bytes(csv_bytes([row(1, 身份证号码=FIFTEEN)]))
    file = HouseholdFile(path)
    import_file(
        file, contract_mapping(file.header().columns), unit=fed.zs, actor=fed.user("zs", "filler")
    )
    household = Household.objects.get()
    assert household.id_number == parse_id(FIFTEEN).number and len(household.id_number) == 18
    assert str(household.birth_date) == "1980-01-01"


def test_the_new_household_page_names_the_id_field(fed, login):
    client = login(fed.user("zs", "filler"))
    response = client.post(
        reverse("household-new"),
        {
            "unit": "210202",
            "name": "甲",
            "id_number": wrong_check(make_id(3)),
            "category": "B",
            "family_size": 2,
            "income": "100",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "身份证号码：" in html and "校验位" in html
    assert not Household.objects.exists()


def test_contract_is_the_template_header():
    assert CONTRACT == (
        "姓名",
        "身份证号码",
        "联系电话",
        "工作单位",
        "困难类别",
        "家庭人口",
        "家庭月人均收入",
        "是否农民工",
        "是否劳模",
    )


def _outcome(parse, raw):
    try:
        return parse(raw)
    except InvalidIdNumber as exc:
        return str(exc)


def test_the_import_fast_path_agrees_with_parse_id():
    import random

    rng = random.Random(11643)
    samples = [
        make_id(i, birth=b) for i in (1, 2, 999) for b in ("19000101", "19991231", "20000229")
    ]
    samples += [
        FIFTEEN,
        make_id(3).lower()[:-1] + "x",
        " " + make_id(4),
        "２" + make_id(5)[1:],
        with_check("21000019800101123"),
        with_check("21020219000229123"),
        with_check("21020230000101123"),
        with_check("21020218991231123"),
        "",
        None,
        2.1e17,
        210202198001011234,
        "21020219800101123Y",
        "2.10202E+17",
        ends_000(),
    ]
    for _ in range(3000):
        first17 = rng.choice(["2102", "1100", "9902", "3301"]) + "".join(
            rng.choice("0123456789") for _ in range(13)
        )
        samples.append(first17 + rng.choice("0123456789X"))
        samples.append(with_check(first17))
    for raw in samples:
        assert _outcome(quick_parse_id, raw) == _outcome(parse_id, raw), raw
