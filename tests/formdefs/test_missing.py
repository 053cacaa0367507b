"""Missing-value strategies: skip_if_any (default), skip_if_all, never; and empty_blanks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chunfeng.formdefs.checks import empty_blanks, evaluate, run_checks
from chunfeng.formdefs.loader import build

from ._support import form, mini_data, zero_values


def _definition():
    data = mini_data()
    data["checks"] = [
        {"id": "ANY", "expr": "{01A.2} <= {01A}", "missing": "skip_if_any"},
        {"id": "ALL", "expr": "{01A.2} <= {01A}", "missing": "skip_if_all"},
        {"id": "NEVER", "expr": "{01A.2} <= {01A}", "missing": "never"},
        {"id": "DEFAULT", "expr": "{01A.2} <= {01A}"},
        {"id": "NEVER-POSITIVE", "expr": "{02} >= 1", "missing": "never"},
        {"id": "ALL-SUM", "expr": "{02} + {02.2} == 3", "missing": "skip_if_all"},
    ]
    return build(data)


DEF = _definition()
CHECK = {c.id: c for c in DEF.checks}


def test_default_strategy_is_skip_if_any():
    assert CHECK["DEFAULT"].missing == "skip_if_any"


@pytest.mark.parametrize(
    "values, expected",
    [
        # both empty
        ({}, {"ANY": None, "ALL": None, "NEVER": True, "DEFAULT": None}),
        # only the part filled: empty total counts as 0 unless skipped
        ({"01A.2": 5}, {"ANY": None, "ALL": False, "NEVER": False, "DEFAULT": None}),
        ({"01A.2": 5, "01A": None}, {"ANY": None, "ALL": False, "NEVER": False, "DEFAULT": None}),
        # only the total filled
        ({"01A": 5}, {"ANY": None, "ALL": True, "NEVER": True, "DEFAULT": None}),
        # both filled
        ({"01A": 5, "01A.2": 6}, {"ANY": False, "ALL": False, "NEVER": False, "DEFAULT": False}),
        ({"01A": 5, "01A.2": 5}, {"ANY": True, "ALL": True, "NEVER": True, "DEFAULT": True}),
        # 0 is a value, not a missing one
        ({"01A": 0, "01A.2": 0}, {"ANY": True, "ALL": True, "NEVER": True, "DEFAULT": True}),
        ({"01A": 0, "01A.2": 1}, {"ANY": False, "ALL": False, "NEVER": False, "DEFAULT": False}),
    ],
)
def test_strategies(values, expected):
    for check_id, result in expected.items():
        assert evaluate(CHECK[check_id], values) is result, check_id


def test_never_evaluates_even_when_everything_is_empty():
    assert evaluate(CHECK["NEVER-POSITIVE"], {}) is False
    assert evaluate(CHECK["NEVER-POSITIVE"], {"02": 1}) is True
    outcome = run_checks(DEF, {})
    assert {r.check for r in outcome.errors} == {"NEVER-POSITIVE"}


def test_skip_if_all_treats_empties_as_zero_in_sums():
    check = CHECK["ALL-SUM"]
    assert evaluate(check, {}) is None
    assert evaluate(check, {"02": 3}) is True  # 3 + 0 == 3
    assert evaluate(check, {"02.2": 3}) is True
    assert evaluate(check, {"02": 2}) is False
    assert evaluate(check, {"02": 2, "02.2": 1}) is True


def test_run_checks_skips_rather_than_fails():
    outcome = run_checks(DEF, {"01A.2": 5})
    failed = {r.check for r in outcome.errors}
    assert "ANY" not in failed and "DEFAULT" not in failed
    assert {"ALL", "NEVER"} <= failed


def test_yesno_false_is_present_not_missing():
    data = mini_data()
    data["checks"] = [{"id": "YN", "expr": "not ({01B.3} and {01B} == 0)"}]
    definition = build(data)
    check = definition.checks[0]
    assert evaluate(check, {"01B.3": False}) is None  # 01B still empty
    assert evaluate(check, {"01B.3": False, "01B": Decimal(0)}) is True
    assert evaluate(check, {"01B.3": True, "01B": Decimal(0)}) is False
    assert evaluate(check, {"01B.3": True, "01B": Decimal("0.0001")}) is True
    assert empty_blanks(definition, {"01B.3": False}) == [
        c for c in definition.blanks if c != "01B.3"
    ]


# --- on the real forms -----------------------------------------------------------------------


def _f1_check(check_id):
    return next(c for c in form("F1").checks if c.id == check_id)


def test_f1_checks_use_skip_if_any_except_f1_25():
    strategies = {c.id: c.missing for c in form("F1").checks}
    assert strategies.pop("F1-25") == "skip_if_all"
    assert set(strategies.values()) == {"skip_if_any"}


def test_f2_checks_use_skip_if_any():
    assert {c.missing for c in form("F2").checks} == {"skip_if_any"}


def test_f1_01_skipped_while_total_is_empty():
    check = _f1_check("F1-01")
    assert evaluate(check, {"01A.2": 10}) is None
    assert evaluate(check, {"01A.2": 10, "01A": 9}) is False
    assert "F1-01" not in {r.check for r in run_checks(form("F1"), {"01A.2": 10}).errors}


def test_f1_25_empty_total_counts_as_zero():
    check = _f1_check("F1-25")
    assert evaluate(check, {}) is None
    assert evaluate(check, {"09A.2": 1}) is False  # 1 <= 0 (09.2 empty → 0)
    assert evaluate(check, {"09.2": 1}) is True
    assert evaluate(check, {"09A.2": 1, "09D.2": 1, "09.2": 2}) is True
    assert "F1-25" in {r.check for r in run_checks(form("F1"), {"09A.2": 1}).errors}


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_empty_blanks(code):
    definition = form(code)
    assert empty_blanks(definition, {}) == list(definition.blanks)
    assert empty_blanks(definition, zero_values(definition)) == []
    some = dict.fromkeys(list(definition.blanks)[:3], 0)
    some[list(definition.blanks)[1]] = None
    assert empty_blanks(definition, some) == [
        c for i, c in enumerate(definition.blanks) if i == 1 or i >= 3
    ]
