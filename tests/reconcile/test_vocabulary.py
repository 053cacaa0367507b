"""The record sets a definition's ``derived`` section may name, checked when Chunfeng starts."""

from __future__ import annotations

import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.formdefs.schema import Derivation
from chunfeng.reconcile.checks import derived_vocabulary
from chunfeng.reconcile.records import RECORD_SETS, vocabulary_problems

F9 = """
code: F9
version: 1
attachment: 附件9
title: 示例
items:
  - number: "01"
    lines:
      - letter: A
        text: 慰问{01A}户，发放{01A.2}元。
        blanks:
          - {code: 01A, label: 慰问户数, unit: 户, type: count}
          - {code: 01A.2, label: 发放金额, unit: 元, type: yuan}
derived:
  - {code: 01A, records: households_helped, measure: count, where: {is_migrant: true}}
  - {code: 01A.2, records: %s}
"""


def test_the_built_in_forms_speak_the_vocabulary():
    assert derived_vocabulary() == []
    f1 = latest_builtin("F1")
    assert {d.records for d in f1.derived} <= set(RECORD_SETS)
    assert len(f1.derived) == 33 and len(latest_builtin("F2").derived) == 3


@pytest.mark.parametrize(
    "derivation, blank_type, problem",
    [
        (Derivation("01A", "gifts", "count", ()), "count", "没有名为 gifts 的记录集"),
        (Derivation("01A", "visits", "sum", ()), "count", "不能用 sum 计算"),
        (
            Derivation("01A", "payments", "count", (("colour", "red"),)),
            "count",
            "没有可筛选的字段 colour",
        ),
        (Derivation("01A", "payments", "count", ()), "yuan", "金额类填报项用 sum"),
        (Derivation("01A", "payments", "sum", ()), "count", "金额类填报项用 sum"),
        (Derivation("01A", "payments", "sum", (), "workers"), "yuan", "没有可加总的量 workers"),
        (Derivation("01A", "visits", "count", (), "", "year"), "count", "不能按 year 统计"),
        (Derivation("01A", "cases", "sum", (), "recovered"), "count", "金额类填报项用 sum"),
        (Derivation("01A", "cases", "sum", (), "workers"), "wan", "金额类填报项用 sum"),
    ],
)
def test_what_is_refused(derivation, blank_type, problem):
    assert any(problem in p for p in vocabulary_problems(derivation, blank_type))


@pytest.mark.parametrize(
    "derivation, blank_type",
    [
        (Derivation("01A", "cases", "sum", (), "workers", "year"), "count"),
        (Derivation("01A", "cases", "sum", (), "recovered"), "wan"),
        (Derivation("01A", "payments", "sum", ()), "yuan"),  # its amount, as before
    ],
)
def test_what_is_accepted(derivation, blank_type):
    assert vocabulary_problems(derivation, blank_type) == []


@pytest.mark.parametrize(
    "second, found",
    [
        ("payments, measure: sum, where: {aid_type: heating}", []),
        ("receipts, measure: sum, where: {aid_type: heating}", ["没有可筛选的字段 aid_type"]),
        ("gifts, measure: sum", ["没有名为 gifts 的记录集"]),
    ],
)
def test_an_extra_forms_derived_section_is_checked_at_start(settings, tmp_path, second, found):
    (tmp_path / "F9.v1.yaml").write_text(F9 % second, encoding="utf-8")
    settings.CHUNFENG_FORM_DIRS = [str(tmp_path)]
    errors = derived_vocabulary()
    assert [e.id for e in errors] == ["chunfeng.reconcile.E001"] * len(found)
    for error, text in zip(errors, found, strict=True):
        assert "表单 F9 第 1 版" in error.msg and text in error.msg


def test_docs_forms_lists_the_record_sets_as_they_are():
    from pathlib import Path  # the document lives beside the package

    text = (Path(__file__).resolve().parents[2] / "docs" / "forms.md").read_text("utf-8")
    rows = {
        cells[0].strip("` "): cells
        for line in text.splitlines()
        if line.startswith("| `") and len(cells := line.strip("|").split("|")) == 5
    }
    assert set(rows) == set(RECORD_SETS)
    for name, record_set in RECORD_SETS.items():
        fields_cell, measures_cell = rows[name][2], rows[name][3]
        assert all(f"`{f}`" in fields_cell for f in record_set.fields), name
        assert [m.strip() for m in measures_cell.split(",")] == list(record_set.measures), name
        assert all(f"`{q}`" in rows[name][1] for q in record_set.quantities), name
