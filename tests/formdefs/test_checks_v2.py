"""Version 2 of 附件1 and 附件2: the checks re-read against the seed (an error only where the seed
makes the relation certain), and checks that read another form of the same unit ({F2:08K})."""

from decimal import Decimal

import pytest

from chunfeng.formdefs.checks import other_forms, run_checks, with_others
from chunfeng.formdefs.expressions import parse
from chunfeng.formdefs.loader import build, form_definitions, read_definitions
from chunfeng.formdefs.shape import DefinitionError

from ._support import mini_data
from .test_folders import write

V1 = {code: form_definitions()[(code, 1)] for code in ("F1", "F2")}
V2 = {code: form_definitions()[(code, 2)] for code in ("F1", "F2")}

# what version 2 changed, and nothing else (the list in docs/forms.md)
NOW_WARNINGS = {
    "F1": {"F1-25", "F1-26", "F1-27"},
    "F2": {"F2-05", "F2-08", "F2-09", "F2-10", "F2-11"} | {f"F2-09T{n:02d}" for n in range(1, 21)},
}
ADDED = {"F1": {"F1-X01"}, "F2": set()}


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_version_2_changes_only_the_listed_checks(code):
    old = {c.id: c for c in V1[code].checks}
    new = {c.id: c for c in V2[code].checks}
    assert set(new) - set(old) == ADDED[code] and set(old) <= set(new)
    demoted = {cid for cid in old if old[cid].level == "error" and new[cid].level == "warning"}
    assert demoted == NOW_WARNINGS[code]
    for cid, check in old.items():
        assert new[cid].expr == check.expr  # the relation is the same, only its weight moved
        if cid not in demoted:
            assert new[cid].level == check.level
    assert V2[code].blanks == V1[code].blanks and V2[code].items == V1[code].items


def test_migrant_workers_helped_may_outnumber_hardship_workers_with_a_note():
    """Item 09 counts every 农民工 a centre helped, not only 困难农民工."""
    values = {
        "08A": 10,
        "08B": 10,
        "09A": 12,
        "09B": 12,
        "08A.2": Decimal("1"),
        "09A.2": Decimal("2"),
    }
    old, new = run_checks(V1["F2"], values), run_checks(V2["F2"], values)
    assert {"F2-09T01", "F2-09T02", "F2-09T03"} <= {r.check for r in old.errors}
    assert not {r.check for r in new.errors} & {"F2-09T01", "F2-09T02", "F2-09T03"}
    warned = {r.check: r.message for r in new.warnings}
    assert "不只是困难农民工" in warned["F2-09T01"]


def test_every_error_that_remains_is_a_part_a_breakdown_or_a_tied_figure():
    """The seed's markers: a 其中 part (<=), a complete breakdown (==), a figure the same
    sentence ties to another (not (x > 0 and y == 0)), or a consequence of two of them."""
    for definition in V2.values():
        for check in definition.checks:
            if check.level != "error":
                continue
            assert "<=" in check.expr or "==" in check.expr or check.expr.startswith("not ("), (
                check.id
            )


def test_the_cross_form_check_reads_the_other_form():
    f1 = V2["F1"]
    assert other_forms(f1) == ("F2",)
    assert other_forms(V2["F2"]) == ()
    check = next(c for c in f1.checks if c.id == "F1-X01")
    assert (check.level, check.fields) == ("warning", ("F2:08K", "03E"))
    assert "F1-X01" in {r.check for r in run_checks(f1, {"03E": 3}, {"F2": {"08K": 5}}).warnings}
    assert "F1-X01" not in {
        r.check for r in run_checks(f1, {"03E": 5}, {"F2": {"08K": 5}}).warnings
    }
    # without the other form (not in the campaign, not filled) the check waits
    assert "F1-X01" not in {r.check for r in run_checks(f1, {"03E": 3}).warnings}
    assert "F1-X01" not in {r.check for r in run_checks(f1, {"03E": 3}, {"F2": {}}).warnings}


def test_other_values_are_named_by_form_and_blank():
    assert with_others({"03E": 1}, {"F2": {"08K": 2}}) == {"03E": 1, "F2:08K": 2}
    expression = parse("{F2:08K} + {F-9:01A.2} <= {03E}")
    assert expression.codes == ("F2:08K", "F-9:01A.2", "03E")
    assert expression.evaluate({"F2:08K": Decimal(1), "F-9:01A.2": Decimal(1), "03E": Decimal(2)})


def test_the_loader_refuses_a_reference_to_its_own_form():
    data = mini_data()
    data["checks"] = [{"id": "T-X", "expr": f"{{{data['code']}:01A}} <= 1"}]
    with pytest.raises(DefinitionError, match="本表的填报项不要写表单代码"):
        build(data)


def test_the_loader_refuses_an_unknown_form_or_blank(settings, tmp_path):
    data = mini_data()
    for expr, says in (("{F2:99Z} <= 1", "表单 F2 没有填报项 99Z"), ("{F7:01A} <= 1", "表单 F7")):
        data["checks"] = [{"id": "T-X", "expr": expr, "message": "跨表"}]
        write(tmp_path, data)
        settings.CHUNFENG_FORM_DIRS = [tmp_path]
        with pytest.raises(DefinitionError, match=says):
            read_definitions()
