"""values.py: parsing typed input, refusing bad input, canonical formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chunfeng.formdefs.values import (
    BadValue,
    FieldError,
    format_value,
    parse_value,
    parse_values,
    to_number,
)

from ._support import form

COUNT = form("F1").blanks["01A"]  # 人
WAN = form("F1").blanks["05A"]  # 万元
YUAN = form("F1").blanks["07I.2"]  # 元
YESNO = form("F2").blanks["05B"]  # (是/否)


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0", 0),
        ("12", 12),
        (" 12 ", 12),
        (12, 12),
        ("１２", 12),  # full-width digits
        ("１，２３４", 1234),  # full-width digits and comma
        ("1,234", 1234),
        ("1,234,567", 1234567),
        ("12.0", 12),
        (Decimal("7"), 7),
        ("1000000000", 10**9),  # the limit itself
        (10**9, 10**9),
    ],
)
def test_count_accepts(raw, expected):
    value = parse_value(COUNT, raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "十二",
        "12人",
        "-1",
        -1,
        "1.5",
        "0.1",
        Decimal("2.5"),
        "1000000001",
        10**9 + 1,
        "NaN",
        "Infinity",
        "-Infinity",
        True,
        False,
    ],
)
def test_count_refuses(raw):
    with pytest.raises(BadValue) as exc:
        parse_value(COUNT, raw)
    assert _is_chinese(str(exc.value))


def test_count_messages():
    with pytest.raises(BadValue, match="负数"):
        parse_value(COUNT, "-3")
    with pytest.raises(BadValue, match="整数"):
        parse_value(COUNT, "3.5")
    with pytest.raises(BadValue, match="过大"):
        parse_value(COUNT, "1000000001")
    with pytest.raises(BadValue, match="不是数字"):
        parse_value(COUNT, "三")


# --- 万元 / 元 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12.34", Decimal("12.3400")),
        ("12.3456", Decimal("12.3456")),
        ("0.0001", Decimal("0.0001")),
        ("12.34560", Decimal("12.3456")),  # trailing zeros do not count as decimals
        ("1,234.5678", Decimal("1234.5678")),
        ("１２．５", Decimal("12.5")),
        ("0", Decimal("0")),
        (3, Decimal("3")),
        ("100000000", Decimal(10**8)),
    ],
)
def test_wan_accepts_up_to_4_decimals(raw, expected):
    value = parse_value(WAN, raw)
    assert value == expected
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -4  # quantized to the unit's places


@pytest.mark.parametrize("raw", ["12.34567", "0.00001", "12345678.00001", "-0.5", "abc"])
def test_wan_refuses(raw):
    with pytest.raises(BadValue):
        parse_value(WAN, raw)


def test_wan_refuses_5_decimals_with_chinese_message():
    with pytest.raises(BadValue) as exc:
        parse_value(WAN, "1.23456")
    assert "万元" in str(exc.value)
    assert "4 位小数" in str(exc.value)


def test_wan_upper_bound():
    with pytest.raises(BadValue, match="过大"):
        parse_value(WAN, "100000000.0001")


@pytest.mark.parametrize(
    "raw, expected",
    [("12.3", Decimal("12.30")), ("12.34", Decimal("12.34")), ("1,500.5", Decimal("1500.50"))],
)
def test_yuan_accepts_2_decimals(raw, expected):
    value = parse_value(YUAN, raw)
    assert value == expected
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize("raw", ["12.345", "0.001", "1.999"])
def test_yuan_refuses_3_decimals(raw):
    with pytest.raises(BadValue) as exc:
        parse_value(YUAN, raw)
    assert "元" in str(exc.value) and "2 位小数" in str(exc.value)


def test_yuan_upper_bound():
    assert parse_value(YUAN, "1000000000000") == Decimal(10**12)
    with pytest.raises(BadValue, match="过大"):
        parse_value(YUAN, "1000000000000.01")


@pytest.mark.parametrize(
    "blank, raw",
    [(WAN, "1.00000000000000000000000000001"), (YUAN, "5.000000000000000000000000000001")],
)
def test_money_refuses_many_decimals_even_beyond_28_digits(blank, raw):
    with pytest.raises(BadValue):
        parse_value(blank, raw)


@pytest.mark.parametrize("raw", ["1,5", "12,34", "1,2,3"])
def test_misplaced_thousands_separator_refused(raw):
    with pytest.raises(BadValue):
        parse_value(WAN, raw)


# --- yes / no -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("是", True),
        ("否", False),
        (" 是 ", True),
        ("true", True),
        ("false", False),
        ("TRUE", True),
        ("False", False),
        (True, True),
        (False, False),
    ],
)
def test_yesno_accepts(raw, expected):
    assert parse_value(YESNO, raw) is expected


@pytest.mark.parametrize("raw", ["也许", "2", "yes please", "是否"])
def test_yesno_refuses(raw):
    with pytest.raises(BadValue) as exc:
        parse_value(YESNO, raw)
    assert "是" in str(exc.value) and "否" in str(exc.value)


# --- empty ----------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", [COUNT, WAN, YUAN, YESNO], ids=lambda b: b.type)
@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\t\n"])
def test_empty_is_none_never_zero(blank, raw):
    value = parse_value(blank, raw)
    assert value is None
    assert value != 0 and value is not False


# --- format_value ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "blank, value, text",
    [
        (WAN, Decimal("12.34"), "12.3400"),
        (WAN, Decimal("12.3400"), "12.3400"),
        (WAN, Decimal("0"), "0.0000"),
        (WAN, Decimal("1E+3"), "1000.0000"),
        (YUAN, Decimal("12.3"), "12.30"),
        (YUAN, Decimal("0"), "0.00"),
        (COUNT, 12, "12"),
        (COUNT, 0, "0"),
        (YESNO, True, "是"),
        (YESNO, False, "否"),
        (WAN, None, ""),
        (COUNT, None, ""),
        (YESNO, None, ""),
    ],
)
def test_format_value(blank, value, text):
    assert format_value(blank, value) == text


@pytest.mark.parametrize(
    "blank, raw",
    [(WAN, "12.34"), (YUAN, "1,500.5"), (COUNT, "１２"), (YESNO, "true"), (WAN, "")],
)
def test_format_then_parse_is_stable(blank, raw):
    value = parse_value(blank, raw)
    assert parse_value(blank, format_value(blank, value)) == value


def test_to_number():
    assert to_number(True) == Decimal(1)
    assert to_number(False) == Decimal(0)
    assert to_number(7) == Decimal(7)
    assert to_number(Decimal("1.2300")) == Decimal("1.23")


# --- parse_values: messages name the blank ------------------------------------------------------


def test_parse_values_all_good():
    values, errors = parse_values(
        form("F1"), {"01A": "１２", "05A": "1.5", "07I.2": "300", "09": "", "12.2": None}
    )
    assert errors == []
    assert values == {
        "01A": 12,
        "05A": Decimal("1.5"),
        "07I.2": Decimal("300"),
        "09": None,
        "12.2": None,
    }


@pytest.mark.parametrize(
    "code, raw",
    [
        ("01A", "abc"),
        ("01A.2", "-1"),
        ("09B.3", "1.5"),
        ("13.2", "2000000000"),
        ("05A", "1.23456"),
        ("07I.2", "1.234"),
    ],
)
def test_parse_values_messages_name_the_blank(code, raw):
    values, errors = parse_values(form("F1"), {code: raw})
    assert code not in values
    assert len(errors) == 1
    error = errors[0]
    assert isinstance(error, FieldError)
    assert error.code == code
    assert code in error.message
    assert form("F1").blanks[code].label in error.message
    assert _is_chinese(error.message)
    assert error.as_dict() == {"field": code, "message": error.message}


def test_parse_values_yesno_message_names_the_blank():
    _values, errors = parse_values(form("F2"), {"05B": "maybe"})
    assert [e.code for e in errors] == ["05B"]
    assert "05B" in errors[0].message


def test_parse_values_unknown_code():
    values, errors = parse_values(form("F2"), {"12G": "1", "12H": "2"})
    assert values == {"12H": 2}
    assert [e.code for e in errors] == ["12G"]
    assert "12G" in errors[0].message
    assert "困难职工帮扶中心统计表" in errors[0].message


def test_parse_values_collects_every_error():
    values, errors = parse_values(
        form("F1"), {"01A": "x", "01A.2": "5", "05A": "0.00001", "99": "1"}
    )
    assert values == {"01A.2": 5}
    assert [e.code for e in errors] == ["01A", "05A", "99"]
