"""expressions.py: parsing over {codes}, whitelist, exact Decimal evaluation, default messages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chunfeng.formdefs.expressions import ExpressionError, default_message, parse

D = Decimal


def test_codes_in_order_without_duplicates():
    expr = parse("{09A.2} + {09B.2} + {09A.2} <= {09.2}")
    assert expr.codes == ("09A.2", "09B.2", "09.2")


@pytest.mark.parametrize(
    "source, values, expected",
    [
        ("{01A} == {01B}", {"01A": D("0.1") + D("0.2"), "01B": D("0.3")}, True),
        ("{01A} + {01B} == {01C}", {"01A": D("0.1"), "01B": D("0.2"), "01C": D("0.3")}, True),
        ("{01A} + {01B} == {01C}", {"01A": D("0.1"), "01B": D("0.2"), "01C": D("0.3001")}, False),
        ("{01A} - {01B} >= 0", {"01A": D(1), "01B": D(2)}, False),
        ("2 * {01A} == {01B}", {"01A": D("1.25"), "01B": D("2.5")}, True),
        ("{01A} <= 0.5", {"01A": D("0.5")}, True),
        ("-{01A} < 0", {"01A": D(1)}, True),
        ("0 <= {01A} <= {01B}", {"01A": D(3), "01B": D(5)}, True),
        ("0 <= {01A} <= {01B}", {"01A": D(6), "01B": D(5)}, False),
        ("{01A} != {01B}", {"01A": D("1.0"), "01B": D("1.00")}, False),
        ("not ({01A} > 0 and {01B} == 0)", {"01A": D(1), "01B": D(0)}, False),
        ("not ({01A} > 0 and {01B} == 0)", {"01A": D(0), "01B": D(0)}, True),
        ("{01A} > 0 or {01B} > 0", {"01A": D(0), "01B": D(1)}, True),
        ("{01A} > 0 or {01B} > 0", {"01A": D(0), "01B": D(0)}, False),
        ("not ({05B} and {05A} == 0)", {"05B": D(1), "05A": D(0)}, False),
        ("not ({05B} and {05A} == 0)", {"05B": D(0), "05A": D(0)}, True),
        ("{12.2} > {12}", {"12": D(1), "12.2": D(2)}, True),
    ],
)
def test_evaluate(source, values, expected):
    assert parse(source).evaluate(values) is expected


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "{01A}.real",
        "abs({01A})",
        "{01A} ** 2",
        "{01A} / 3",
        "{01A}[0]",
        "'a' == 'a'",
        "None == {01A}",
        "True",
        "1j == {01A}",
        "{01A} is {01B}",
        "{01A} in [1]",
        "+{01A} > 0",
        "{01A} & 1",
        "{01A} if 1 else 2",
        "y",
        "{1A} > 0",
        "{01A} >",
    ],
)
def test_refused(source):
    with pytest.raises(ExpressionError):
        parse(source)


def test_refusal_message_is_chinese_and_quotes_source():
    with pytest.raises(ExpressionError) as exc:
        parse("__import__('os')")
    assert "不允许" in str(exc.value)
    assert "__import__('os')" in str(exc.value)


LABELS = {"01A": "当地职工总数", "01A.2": "其中农民工总数"}


@pytest.mark.parametrize(
    "op, words",
    [
        ("<=", "不能大于"),
        ("<", "必须小于"),
        (">=", "不能小于"),
        (">", "必须大于"),
        ("==", "必须等于"),
        ("!=", "不能等于"),
    ],
)
def test_default_message_simple(op, words):
    message = default_message(parse(f"{{01A.2}} {op} {{01A}}"), LABELS)
    assert message == f"其中农民工总数（01A.2）{words}当地职工总数（01A）。"


def test_default_message_unknown_label_uses_code():
    assert default_message(parse("{01A} >= 0"), {}) == "01A（01A）不能小于0。"


def test_default_message_other_shapes_quote_source():
    source = "not ({01A} > 0 and {01A.2} == 0)"
    assert default_message(parse(source), LABELS) == f"未通过审核：{source}"


def test_default_message_with_sum_uses_codes():
    message = default_message(parse("{01A.2} + {02A} <= {01A}"), LABELS)
    assert "v_" not in message
    assert "01A.2" in message and "02A" in message
