"""Every check of both forms, failing and passing, from explicit hand-written value tables.

The starting point is the all-zero value set (every blank 0, yes/no 否), which passes all checks.
``FAIL[id] = (mods, also)``: setting ``mods`` on top of it makes check ``id`` fail, and exactly
``{id} | also`` fail in the whole form. ``also`` is non-empty only where the failing check is
implied by others (e.g. F1-28 follows from F1-07 and F1-08), so it cannot fail alone.
``PASS[id]`` sets non-trivial values with which check ``id`` is evaluated and passes.
The tables are written from the meaning of each rule, not derived from the expressions.
"""

from __future__ import annotations

import pytest

from chunfeng.formdefs.checks import evaluate

from ._support import failures, form, level_of, values_with, zero_values

F1_FAIL: dict[str, tuple[dict, set[str]]] = {
    "F1-01": ({"01A.2": 1}, set()),
    "F1-02": ({"02A.2": 1, "01A": 1, "01A.2": 1}, set()),
    "F1-03": ({"03A.2": 1}, set()),
    # a family type above the total also pushes the three-type sum above it
    "F1-04": ({"03B": 1}, {"F1-W02"}),
    "F1-05": ({"03C": 1}, {"F1-W02"}),
    "F1-06": ({"03D": 1}, {"F1-W02"}),
    "F1-07": ({"04C.2": 1}, set()),
    "F1-08": ({"04C": 5, "04C.2": 1, "04C.3": 2}, set()),
    "F1-09": ({"04C.4": 1}, set()),
    "F1-10": ({"06B": "0.0001"}, {"F1-W03"}),
    "F1-11": ({"06C": "1"}, {"F1-W03"}),
    "F1-12": ({"08A.2": 1}, set()),
    "F1-13": ({"08B.2": 1}, set()),
    "F1-14": ({"08C.3": 1}, set()),
    "F1-15": ({"08C.4": "1", "08C.3": 1, "08C": 1}, set()),
    "F1-16": ({"09.2": 1}, set()),
    # a service above the total also breaks the services-sum warning
    "F1-17": ({"09A": 1}, {"F1-W05"}),
    "F1-18": ({"09B": 1}, {"F1-W05"}),
    "F1-19": ({"09C": 1}, {"F1-W05"}),
    "F1-20": ({"09D": 1}, {"F1-W05"}),
    "F1-21": ({"09A.2": 1, "09.2": 1, "09": 1, "09B": 1}, set()),
    "F1-22": ({"09B.2": 1, "09.2": 1, "09": 1, "09A": 1}, set()),
    "F1-23": ({"09C.2": 1, "09.2": 1, "09": 1, "09A": 1}, set()),
    "F1-24": ({"09D.2": 1, "09.2": 1, "09": 1, "09A": 1}, set()),
    "F1-25": ({"09": 2, "09A": 1, "09B": 1, "09A.2": 1, "09B.2": 1, "09.2": 1}, set()),
    "F1-26": ({"02A": 1}, set()),
    "F1-27": ({"02A.2": 1, "02A": 1, "01A": 1}, set()),
    # 04C.3 <= 04C.2 <= 04C: F1-28 is implied by F1-07 and F1-08
    "F1-28": ({"04C.3": 1}, {"F1-08"}),
    "F1-29": ({"05B": "1"}, set()),
    "F1-30": ({"07I.2": "100"}, set()),
    "F1-31": ({"08C.2": "1"}, set()),
    "F1-32": ({"08C.4": "1", "08C.2": "1", "08C": 1}, set()),
    "F1-33": ({"10B.2": 1, "10A": 1}, set()),
    "F1-34": ({"10C.2": 1, "10A": 1}, set()),
    "F1-35": ({"10D.2": 1, "10A": 1}, set()),
    "F1-36": ({"10E.2": 1, "10A": 1}, set()),
    "F1-37": ({"10F.2": 1, "10A": 1}, set()),
    "F1-38": ({"13.2": 1}, set()),
    "F1-W01": ({"06A": "1", "04C": 1}, set()),
    "F1-W02": ({"03A": 2, "03B": 1, "03C": 1, "03D": 1}, set()),
    "F1-W03": (
        {"06A": "2", "06B": "2", "06C": "1", "05A": "2", "05B": "2", "04C": 1},
        set(),
    ),
    "F1-W04": ({"04B": 1}, set()),
    "F1-W05": ({"09": 1}, set()),
    "F1-W06": ({"10A": 1, "10B": 1, "10B.2": 1, "10C": 1, "10C.2": 1}, set()),
    "F1-W07": ({"10B": 1}, set()),
    "F1-W08": ({"10C": 1}, set()),
    "F1-W09": ({"10D": 1}, set()),
    "F1-W10": ({"10E": 1}, set()),
    "F1-W11": ({"10F": 1}, set()),
    "F1-W12": ({"07I": 1}, set()),
    "F1-W13": ({"06A": "1", "05A": "1", "05B": "1"}, set()),
    "F1-W14": ({"12": 1}, set()),
    "F1-W15": ({"13.3": 1}, set()),
}

F1_PASS: dict[str, dict] = {
    "F1-01": {"01A": 100, "01A.2": 40},
    "F1-02": {"02A": 10, "02A.2": 3},
    "F1-03": {"03A": 10, "03A.2": 4},
    "F1-04": {"03A": 10, "03B": 10},
    "F1-05": {"03A": 10, "03C": 7},
    "F1-06": {"03A": 10, "03D": 2},
    "F1-07": {"04C": 10, "04C.2": 10},
    "F1-08": {"04C.2": 5, "04C.3": 5},
    "F1-09": {"04C": 8, "04C.4": 3},
    "F1-10": {"06A": "12.5", "06B": "12.4999"},
    "F1-11": {"06A": "3", "06C": "3.0000"},
    "F1-12": {"08A": 5, "08A.2": 2},
    "F1-13": {"08B": 50, "08B.2": 49},
    "F1-14": {"08C": 7, "08C.3": 7},
    "F1-15": {"08C.2": "1.2345", "08C.4": "1.2344"},
    "F1-16": {"09": 9, "09.2": 9},
    "F1-17": {"09": 9, "09A": 8},
    "F1-18": {"09": 9, "09B": 9},
    "F1-19": {"09": 9, "09C": 1},
    "F1-20": {"09": 9, "09D": 9},
    "F1-21": {"09A": 3, "09A.2": 3},
    "F1-22": {"09B": 4, "09B.2": 2},
    "F1-23": {"09C": 5, "09C.2": 1},
    "F1-24": {"09D": 6, "09D.2": 6},
    "F1-25": {"09.2": 10, "09A.2": 1, "09B.2": 2, "09C.2": 3, "09D.2": 4},
    "F1-26": {"01A": 100, "02A": 100},
    "F1-27": {"01A.2": 50, "02A.2": 20},
    "F1-28": {"04C": 6, "04C.3": 6},
    "F1-29": {"05A": "10.0001", "05B": "4", "05C": "3", "05D": "2", "05E": "1.0001"},
    "F1-30": {"07I": 5, "07I.2": "1500.50"},
    "F1-31": {"08C": 2, "08C.2": "0.5"},
    "F1-32": {"08C.3": 1, "08C.4": "0.25"},
    "F1-33": {"10B": 1, "10B.2": 800},
    "F1-34": {"10C": 12, "10C.2": 600},
    "F1-35": {"10D": 3, "10D.2": 150},
    "F1-36": {"10E": 1, "10E.2": 300},
    "F1-37": {"10F": 1, "10F.2": 120},
    "F1-38": {"13": 3, "13.2": 12},
    "F1-W01": {"05A": "8.8", "06A": "8.8000"},
    "F1-W02": {"03A": 10, "03B": 3, "03C": 3, "03D": 4},
    "F1-W03": {"06A": "10", "06B": "4", "06C": "6"},
    "F1-W04": {"04A": 10, "04B": 3},
    "F1-W05": {"09": 10, "09A": 1, "09B": 2, "09C": 3, "09D": 4},
    "F1-W06": {"10A": 100, "10B.2": 20, "10C.2": 20, "10D.2": 20, "10E.2": 20, "10F.2": 20},
    "F1-W07": {"10B": 2, "10B.2": 1000},
    "F1-W08": {"10C": 5, "10C.2": 400},
    "F1-W09": {"10D": 4, "10D.2": 200},
    "F1-W10": {"10E": 1, "10E.2": 90},
    "F1-W11": {"10F": 2, "10F.2": 300},
    "F1-W12": {"07I": 4, "07I.2": "800.00"},
    "F1-W13": {"06A": "2", "04C": 3},
    "F1-W14": {"12": 2, "12.2": 30},
    "F1-W15": {"13.2": 5, "13.3": 200},
}

F2_FAIL: dict[str, tuple[dict, set[str]]] = {
    # 01A.2 = Σ 0xX.2 <= Σ 0xX = 01A: F2-01 is implied by F2-02..04, S01 and S02
    "F2-01": ({"01A.2": 1}, {"F2-S02"}),
    "F2-02": ({"01B.2": 1, "01A.2": 1, "01A": 1, "01C": 1, "02A": 1, "02C": 1}, set()),
    "F2-03": ({"01C.2": 1, "01A.2": 1, "01A": 1, "01B": 1, "02A": 1, "02B": 1}, set()),
    "F2-04": ({"01D.2": 1, "01A.2": 1, "01A": 1, "01B": 1, "02A": 1, "02B": 1}, set()),
    "F2-05": ({"06C": 1}, set()),
    "F2-06": ({"10A.2": 1}, set()),
    "F2-07": ({"10B.2": 1, "10A.2": 1, "10A": 1}, set()),
    # a part above the total also pushes 10B + 10C above it
    "F2-08": ({"10B": 1}, {"F2-W08"}),
    "F2-09": ({"10C": 1}, {"F2-W08"}),
    "F2-10": ({"10B.2": 1, "10B": 1, "10A": 1}, set()),
    "F2-11": ({"08K": 1}, set()),
    "F2-S01": ({"01B": 1}, set()),
    "F2-S02": ({"01B.2": 1, "01B": 1, "01A": 1, "02A": 1, "02B": 1}, set()),
    "F2-S03": ({"02B": 1}, set()),
    "F2-S04": ({"04B": "1"}, set()),
    "F2-08S1": ({"08B": 1}, set()),
    "F2-08S2": ({"08B.2": "1"}, set()),
    "F2-09S1": ({"09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09S2": ({"09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    # totals are sums of parts and each part is bounded: 09T01/09T02 are implied
    "F2-09T01": ({"09A": 1}, {"F2-09S1"}),
    "F2-09T02": ({"09A.2": "0.0001"}, {"F2-09S2"}),
    "F2-09T03": ({"09B": 1, "09A": 1, "08A": 1, "08C": 1}, set()),
    "F2-09T04": ({"09B.2": "1", "09A.2": "1", "08A.2": "1", "08C.2": "1"}, set()),
    "F2-09T05": ({"09C": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T06": ({"09C.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-09T07": ({"09D": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T08": ({"09D.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-09T09": ({"09E": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T10": ({"09E.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-09T11": ({"09F": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T12": ({"09F.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-09T13": ({"09G": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T14": ({"09G.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-09T15": ({"09H": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T16": ({"09H.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-09T17": ({"09I": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T18": ({"09I.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-09T19": ({"09J": 1, "09A": 1, "08A": 1, "08B": 1}, set()),
    "F2-09T20": ({"09J.2": "1", "09A.2": "1", "08A.2": "1", "08B.2": "1"}, set()),
    "F2-X01": ({"06B": "1"}, set()),
    "F2-X02": ({"07A.2": "1"}, set()),
    "F2-X03": ({"10D.3": "1"}, set()),
    "F2-W01": ({"07A": 1, "07A.2": "1"}, set()),
    "F2-W02": ({"07B": 1}, set()),
    "F2-W03": ({"02A": 1, "02B": 1}, set()),
    "F2-W04": ({"01A": 1, "01B": 1}, set()),
    "F2-W05": ({"06A": 1}, set()),
    "F2-W06": ({"07A": 1, "01D": 1, "01A": 1, "02A": 1, "02D": 1}, set()),
    "F2-W07": ({"05B": True}, set()),
    "F2-W08": ({"10A": 1, "10B": 1, "10C": 1}, set()),
}

_08_PARTS = {
    "08B": 1,
    "08C": 2,
    "08D": 3,
    "08E": 4,
    "08F": 5,
    "08G": 6,
    "08H": 7,
    "08I": 8,
    "08J": 9,
}

F2_PASS: dict[str, dict] = {
    "F2-01": {"01A": 10, "01A.2": 10},
    "F2-02": {"01B": 1, "01B.2": 1},
    "F2-03": {"01C": 14, "01C.2": 3},
    "F2-04": {"01D": 80, "01D.2": 79},
    "F2-05": {"06A": 14, "06C": 9},
    "F2-06": {"10A": 100, "10A.2": 60},
    "F2-07": {"10B": 20, "10B.2": 5},
    "F2-08": {"10A": 100, "10B": 100},
    "F2-09": {"10A": 100, "10C": 99},
    "F2-10": {"10A.2": 60, "10B.2": 60},
    "F2-11": {"08A": 30, "08K": 12},
    "F2-S01": {"01A": 95, "01B": 1, "01C": 14, "01D": 80},
    "F2-S02": {"01A.2": 50, "01B.2": 1, "01C.2": 9, "01D.2": 40},
    "F2-S03": {"02A": 300, "02B": 20, "02C": 80, "02D": 200},
    "F2-S04": {
        "04A": "1234.5678",
        "04B": "1000",
        "04C": "200.5",
        "04D": "30.0678",
        "04E": "4",
        "04F": "0",
    },
    "F2-08S1": {"08A": 45, **_08_PARTS},
    "F2-08S2": {
        "08A.2": "4.5",
        "08B.2": "0.1",
        "08C.2": "0.2",
        "08D.2": "0.3",
        "08E.2": "0.4",
        "08F.2": "0.5",
        "08G.2": "0.6",
        "08H.2": "0.7",
        "08I.2": "0.8",
        "08J.2": "0.9",
    },
    "F2-09S1": {
        "09A": 45,
        "09B": 9,
        "09C": 8,
        "09D": 7,
        "09E": 6,
        "09F": 5,
        "09G": 4,
        "09H": 3,
        "09I": 2,
        "09J": 1,
    },
    "F2-09S2": {
        "09A.2": "1.0001",
        "09B.2": "0.0001",
        "09C.2": "0.1",
        "09D.2": "0.2",
        "09E.2": "0.3",
        "09F.2": "0.4",
        "09G.2": "0",
        "09H.2": "0",
        "09I.2": "0",
        "09J.2": "0",
    },
    "F2-09T01": {"08A": 10, "09A": 10},
    "F2-09T02": {"08A.2": "3.3", "09A.2": "1.1"},
    "F2-09T03": {"08B": 5, "09B": 5},
    "F2-09T04": {"08B.2": "2.5", "09B.2": "2.4999"},
    "F2-09T05": {"08C": 7, "09C": 2},
    "F2-09T06": {"08C.2": "0.7", "09C.2": "0.7000"},
    "F2-09T07": {"08D": 9, "09D": 0},
    "F2-09T08": {"08D.2": "12", "09D.2": "11.9"},
    "F2-09T09": {"08E": 3, "09E": 3},
    "F2-09T10": {"08E.2": "1", "09E.2": "0.5"},
    "F2-09T11": {"08F": 40, "09F": 39},
    "F2-09T12": {"08F.2": "6.6", "09F.2": "6.6"},
    "F2-09T13": {"08G": 11, "09G": 1},
    "F2-09T14": {"08G.2": "0.01", "09G.2": "0.0099"},
    "F2-09T15": {"08H": 2, "09H": 2},
    "F2-09T16": {"08H.2": "3", "09H.2": "2"},
    "F2-09T17": {"08I": 6, "09I": 4},
    "F2-09T18": {"08I.2": "50", "09I.2": "49.9999"},
    "F2-09T19": {"08J": 8, "09J": 8},
    "F2-09T20": {"08J.2": "0.3", "09J.2": "0.2"},
    "F2-X01": {"06A": 3, "06B": "120"},
    "F2-X02": {"07A": 2, "07A.2": "50"},
    "F2-X03": {"10D": 4, "10D.3": "12.5"},
    "F2-W01": {"01D": 10, "07A": 10},
    "F2-W02": {"01D": 10, "07B": 4},
    "F2-W03": {"01A": 1, "02A": 5},
    "F2-W04": {"01A": 1, "02A": 5},
    "F2-W05": {"06A": 2, "06B": "30"},
    "F2-W06": {"07A": 2, "07A.2": "0.5"},
    "F2-W07": {"05B": True, "05A": "500"},
    "F2-W08": {"10A": 10, "10B": 3, "10C": 7},
}

FAIL = {"F1": F1_FAIL, "F2": F2_FAIL}
PASS = {"F1": F1_PASS, "F2": F2_PASS}


def _check(code: str, check_id: str):
    return next(c for c in form(code).checks if c.id == check_id)


# --- meta ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_tables_cover_every_check(code):
    ids = {c.id for c in form(code).checks}
    assert set(FAIL[code]) == ids
    assert set(PASS[code]) == ids


def test_table_sizes():
    assert (len(F1_FAIL), len(F1_PASS)) == (53, 53)
    assert (len(F2_FAIL), len(F2_PASS)) == (50, 50)


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_levels_follow_id_convention(code):
    for check in form(code).checks:
        assert check.level == level_of(check.id), check.id


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_all_zero_values_pass_every_check(code):
    definition = form(code)
    values = zero_values(definition)
    assert failures(definition, values) == (set(), set())
    assert all(evaluate(c, values) is True for c in definition.checks)


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_empty_submission_has_no_failures(code):
    assert failures(form(code), {}) == (set(), set())


# --- one failing and one passing case per check ------------------------------------------------


def _cases(table: str):
    return [
        pytest.param(code, check_id, id=check_id)
        for code in ("F1", "F2")
        for check_id in (FAIL if table == "fail" else PASS)[code]
    ]


@pytest.mark.parametrize("code, check_id", _cases("fail"))
def test_check_fails(code, check_id):
    definition = form(code)
    mods, also = FAIL[code][check_id]
    values = values_with(definition, mods)
    errors, warnings = failures(definition, values)
    at_level = errors if level_of(check_id) == "error" else warnings
    assert check_id in at_level
    assert errors | warnings == {check_id} | also
    assert evaluate(_check(code, check_id), values) is False


@pytest.mark.parametrize("code, check_id", _cases("pass"))
def test_check_passes(code, check_id):
    definition = form(code)
    values = values_with(definition, PASS[code][check_id])
    errors, warnings = failures(definition, values)
    assert check_id not in errors | warnings
    assert evaluate(_check(code, check_id), values) is True


@pytest.mark.parametrize("code, check_id", _cases("fail"))
def test_failure_result_carries_message_and_fields(code, check_id):
    from chunfeng.formdefs.checks import run_checks

    definition = form(code)
    mods, _also = FAIL[code][check_id]
    outcome = run_checks(definition, values_with(definition, mods))
    result = next(r for r in outcome.errors + outcome.warnings if r.check == check_id)
    check = _check(code, check_id)
    assert result.message == check.message
    assert result.fields == check.fields
    assert set(mods) & set(result.fields)  # the modification touches the check's blanks
    assert result.as_dict() == {
        "check": check_id,
        "message": check.message,
        "fields": list(check.fields),
    }
