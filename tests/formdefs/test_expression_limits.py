"""Expressions that could not be evaluated safely are refused when a definition is loaded:
non-finite numbers, over-long sources, over-deep nesting. Whatever loaded evaluates without
raising (hypothesis properties over arbitrary text and over generated expressions)."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chunfeng.formdefs import expressions
from chunfeng.formdefs.checks import evaluate
from chunfeng.formdefs.expressions import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse
from chunfeng.formdefs.loader import DefinitionError, build

from ._support import mini_data

CODES = ("01A", "01A.2", "01B", "01B.2", "01B.3", "02", "02.2")  # the blanks of mini_data


def _with_check(expr) -> dict:
    data = copy.deepcopy(mini_data())
    data["checks"] = [{"id": "T-09", "expr": expr}]
    return data


@pytest.mark.parametrize(
    "expr",
    ["1e999 - 1e999 == 0", "{01A} <= 1e999", "-1e400 < {01A}", "{01A} * 1E999 == 0"],
)
def test_non_finite_constant_refused_at_load(expr):
    with pytest.raises(DefinitionError, match="审核规则 T-09：表达式中的数字超出范围"):
        build(_with_check(expr))


def test_largest_finite_constants_still_evaluate():
    expression = parse("1e308 * 1e308 - 1e308 * 1e308 == 0")
    assert expression.evaluate({}) is True


def test_over_long_source_refused_without_quoting_all_of_it():
    expr = "{01A} >= 0 and " * 80 + "{01A} >= 0"
    assert len(expr) > MAX_LENGTH
    with pytest.raises(DefinitionError) as exc:
        build(_with_check(expr))
    message = str(exc.value)
    assert message.startswith("审核规则 T-09：表达式过长") and "…" in message
    assert len(message) < 200


def test_source_at_the_length_limit_loads():
    expr = "{01A} >= 0 and " * 60
    expr += "0" * (MAX_LENGTH - len(expr) - len(" <= 1")) + " <= 1"
    assert len(expr) == MAX_LENGTH
    assert build(_with_check(expr)).checks[0].id == "T-09"


@pytest.mark.parametrize(
    "expr",
    [
        "not " * 200 + "{01A}",  # today: RecursionError deep in ast.parse for "not " * 5000
        "-" * 500 + "{01A} > 0",
        "(" * 41 + "{01A}" + ")" * 41 + " + " + "{01A} + " * 40 + "1 > 0",
    ],
)
def test_over_deep_nesting_refused(expr):
    with pytest.raises(DefinitionError, match="审核规则 T-09：表达式嵌套过深"):
        build(_with_check(expr))


def test_nesting_at_the_depth_limit_loads_and_evaluates():
    """A comparison of a sum: the comparison, MAX_DEPTH - 2 additions and the blank."""
    expr = " + ".join(["{01A}"] * (MAX_DEPTH - 1)) + " >= 0"
    assert parse(expr).evaluate({"01A": Decimal(1)}) is True
    longer = " + ".join(["{01A}"] * MAX_DEPTH) + " >= 0"
    with pytest.raises(ExpressionError, match="嵌套过深"):
        parse(longer)


@pytest.mark.parametrize(
    "source, error", [("not " * 5000 + "1", "not"), ("-" * 200_000 + "1", "-")]
)
def test_recursion_and_memory_errors_of_the_parser_become_expression_errors(
    monkeypatch, source, error
):
    """Beyond the length limit Python's own parser fails with RecursionError or MemoryError."""
    monkeypatch.setattr(expressions, "MAX_LENGTH", 10**6)
    with pytest.raises(ExpressionError, match="嵌套过深"):
        parse(source)


@pytest.mark.parametrize("source", [5, None, ["{01A} > 0"]])
def test_source_that_is_not_text_refused(source):
    with pytest.raises(ExpressionError, match="表达式应为文字"):
        parse(source)


def test_nul_character_is_a_syntax_error():
    with pytest.raises(ExpressionError, match="语法错误"):
        parse("{01A} > 0\x00")


# --- properties: whatever parses, evaluates --------------------------------------------------

FAST = settings(deadline=None, max_examples=300)

values = st.fixed_dictionaries(
    {
        code: st.one_of(
            st.integers(0, 10**9).map(Decimal),
            st.integers(0, 10**16).map(lambda n: Decimal(n).scaleb(-4)),  # ≤ 1 万亿元 in 万元
            st.sampled_from([Decimal(0), Decimal(1)]),  # yes/no
        )
        for code in CODES
    }
)


def _evaluates(source: str, numbers: dict) -> None:
    """Parsing either refuses with ExpressionError, or gives an expression that evaluates to a
    bool for any values of the blanks (the codes it names are all in ``numbers``)."""
    try:
        expression = parse(source)
    except ExpressionError:
        return
    known = [c for c in expression.codes if c in numbers]
    if len(known) == len(expression.codes):
        assert expression.evaluate(numbers) in (True, False)


@FAST
@given(st.text(max_size=80), values)
def test_arbitrary_text_parses_or_is_refused(source, numbers):
    _evaluates(source, numbers)


SOUP = "{01A}|{01A.2}|{02}|0|1|1e999|1e308|0.5|+|-|*|<|<=|==|!=|>|not | and | or |(|)| "
TOKENS = [*SOUP.split("|"), "9" * 30]


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=60), values)
def test_token_soup_parses_or_is_refused(tokens, numbers):
    _evaluates("".join(tokens), numbers)


constants = st.one_of(
    st.integers(0, 10**40).map(str),
    st.floats(allow_nan=False).map(repr),  # includes inf: written as 1e999 in the source
    st.sampled_from(["1e999", "1e308", "1e-400", "0.1"]),
).map(lambda c: "1e999" if c in ("inf", "-inf") else c)
terms = st.recursive(
    st.one_of(st.sampled_from([f"{{{c}}}" for c in CODES]), constants),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(" ".join),
        inner.map(lambda t: f"-({t})"),
        inner.map(lambda t: f"({t})"),
    ),
    max_leaves=60,
)
conditions = st.recursive(
    st.tuples(terms, st.sampled_from(["<", "<=", "==", "!=", ">", ">="]), terms).map(" ".join),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({' '.join(t)})"),
        inner.map(lambda t: f"not ({t})"),
    ),
    max_leaves=8,
)


@FAST
@given(conditions, values)
def test_generated_checks_that_load_never_raise(source, numbers):
    _evaluates(source, numbers)


@FAST
@given(conditions, st.sampled_from(["skip_if_any", "skip_if_all", "never"]), values, st.data())
def test_loaded_checks_evaluate_with_any_missing_blanks(source, missing, numbers, data):
    """Through the loader and checks.evaluate, with some blanks empty."""
    try:
        definition = build(_with_check(source))
    except DefinitionError:
        return
    check = dataclasses.replace(definition.checks[0], missing=missing)
    empty = data.draw(st.sets(st.sampled_from(CODES)))
    given_values = {c: v for c, v in numbers.items() if c not in empty}
    assert evaluate(check, given_values) in (True, False, None)


def test_python_syntax_warnings_are_refusals():
    with pytest.raises(ExpressionError, match="语法错误"):
        parse("{01A} >= 0and 1")
