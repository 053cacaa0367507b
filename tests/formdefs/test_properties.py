"""Property-based tests (hypothesis): exact round trips, sum checks, evaluator vs. Python."""

from __future__ import annotations

import operator
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from chunfeng.formdefs.checks import evaluate, run_checks
from chunfeng.formdefs.expressions import parse
from chunfeng.formdefs.values import BadValue, format_value, parse_value

from ._support import form, zero_values

WAN = form("F1").blanks["05A"]
YUAN = form("F1").blanks["07I.2"]
COUNT = form("F1").blanks["01A"]

FAST = settings(deadline=None, max_examples=150)


def amounts(places: int, max_units: int = 10**8) -> st.SearchStrategy[Decimal]:
    """Exact Decimals >= 0 with at most ``places`` decimals and at most ``max_units``."""
    return st.integers(0, places).flatmap(
        lambda p: st.integers(0, max_units * 10**p).map(lambda n: Decimal(n).scaleb(-p))
    )


def nonzero_amounts(places: int, max_units: int = 10**4) -> st.SearchStrategy[Decimal]:
    return amounts(places, max_units).filter(lambda d: d != 0)


# --- round trips ----------------------------------------------------------------------------------


@FAST
@given(amounts(4))
def test_wan_round_trip_is_exact(x):
    text = format_value(WAN, x)
    assert parse_value(WAN, text) == x
    assert format_value(WAN, parse_value(WAN, text)) == text
    assert parse_value(WAN, str(x)) == x
    assert len(text.split(".")[1]) == 4


@FAST
@given(amounts(2, 10**12))
def test_yuan_round_trip_is_exact(x):
    text = format_value(YUAN, x)
    assert parse_value(YUAN, text) == x
    assert len(text.split(".")[1]) == 2


@FAST
@given(st.integers(0, 10**9))
def test_count_round_trip(n):
    assert parse_value(COUNT, format_value(COUNT, n)) == n


_FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@FAST
@given(amounts(4))
def test_wan_accepts_separators_and_full_width(x):
    grouped = format(x, ",")
    assert parse_value(WAN, grouped) == x
    assert parse_value(WAN, grouped.translate(_FULL_WIDTH)) == x


@FAST
@given(amounts(4, 10**6), st.integers(1, 9))
def test_wan_refuses_a_fifth_decimal(x, digit):
    with_fifth = x + Decimal(digit).scaleb(-5)
    try:
        parse_value(WAN, str(with_fifth))
    except BadValue:
        return
    raise AssertionError(f"{with_fifth} accepted")


@FAST
@given(amounts(2, 10**6), st.integers(1, 9))
def test_yuan_refuses_a_third_decimal(x, digit):
    with_third = x + Decimal(digit).scaleb(-3)
    try:
        parse_value(YUAN, str(with_third))
    except BadValue:
        return
    raise AssertionError(f"{with_third} accepted")


# --- complete breakdowns: F1-29 (05B..05E = 05A) and F2-S04 (04B..04F = 04A) ----------------------

SUM_CHECKS = {
    "F1-29": ("F1", ["05B", "05C", "05D", "05E"], "05A"),
    "F2-S04": ("F2", ["04B", "04C", "04D", "04E", "04F"], "04A"),
}


def _sum_case(check_id: str, parts: list[Decimal]):
    code, part_codes, total_code = SUM_CHECKS[check_id]
    definition = form(code)
    check = next(c for c in definition.checks if c.id == check_id)
    values = zero_values(definition)
    values.update(zip(part_codes, parts, strict=True))
    values[total_code] = sum(parts, Decimal(0))
    return definition, check, values, part_codes + [total_code]


@FAST
@given(
    st.sampled_from(sorted(SUM_CHECKS)),
    st.lists(amounts(4, 10**6), min_size=5, max_size=5),
)
def test_parts_summing_to_total_pass(check_id, parts):
    code, part_codes, _total = SUM_CHECKS[check_id]
    definition, check, values, _ = _sum_case(check_id, parts[: len(part_codes)])
    assert evaluate(check, values) is True
    assert check_id not in {r.check for r in run_checks(definition, values).errors}


@FAST
@given(
    st.sampled_from(sorted(SUM_CHECKS)),
    st.lists(amounts(4, 10**6), min_size=5, max_size=5),
    st.integers(0, 5),
    nonzero_amounts(4),
    st.booleans(),
)
def test_perturbing_one_blank_fails(check_id, parts, which, delta, subtract):
    code, part_codes, _total = SUM_CHECKS[check_id]
    definition, check, values, codes = _sum_case(check_id, parts[: len(part_codes)])
    target = codes[which % len(codes)]
    if subtract and values[target] >= delta:
        values[target] -= delta
    else:
        values[target] += delta
    assert evaluate(check, values) is False
    assert check_id in {r.check for r in run_checks(definition, values).errors}


# --- the evaluator against a direct Python computation --------------------------------------------

POOL = ["01A", "01A.2", "03B", "09", "09.2", "12.3"]
OPS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}

terms = st.lists(st.tuples(st.integers(1, 3), st.sampled_from(POOL)), min_size=1, max_size=4)


def _source(side):
    return " + ".join(f"{k} * {{{c}}}" if k != 1 else f"{{{c}}}" for k, c in side)


def _direct(side, values):
    return sum((k * values[c] for k, c in side), Decimal(0))


@FAST
@given(
    terms,
    terms,
    st.sampled_from(sorted(OPS)),
    st.fixed_dictionaries({c: amounts(4, 10**3) for c in POOL}),
)
def test_evaluator_agrees_with_python(left, right, op, values):
    source = f"{_source(left)} {op} {_source(right)}"
    assert parse(source).evaluate(values) is OPS[op](_direct(left, values), _direct(right, values))


@FAST
@given(
    terms,
    terms,
    terms,
    st.sampled_from(sorted(OPS)),
    st.sampled_from(sorted(OPS)),
    st.sampled_from(["and", "or"]),
    st.booleans(),
    st.fixed_dictionaries({c: amounts(2, 50) for c in POOL}),
)
def test_boolean_combinations_agree_with_python(a, b, c, op1, op2, conj, negate, values):
    first = f"{_source(a)} {op1} {_source(b)}"
    second = f"{_source(b)} {op2} {_source(c)}"
    source = f"({first}) {conj} ({second})"
    if negate:
        source = f"not ({source})"
    x = OPS[op1](_direct(a, values), _direct(b, values))
    y = OPS[op2](_direct(b, values), _direct(c, values))
    expected = (x and y) if conj == "and" else (x or y)
    assert parse(source).evaluate(values) is ((not expected) if negate else expected)
