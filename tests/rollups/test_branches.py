"""The one formula (合计 = 本级 + 下级合计) and the branch rule, as pure functions, and the
``rollup:`` key of a definition."""

from decimal import Decimal

import pytest

from chunfeng.formdefs.loader import build, latest_builtin
from chunfeng.formdefs.shape import DefinitionError
from chunfeng.rollups.branches import branch_of, split_totals

F1 = latest_builtin("F1")


def test_branch_of_a_reporting_unit_is_where_it_hangs_below_the_unit():
    industry = {"2102C01"}
    assert branch_of("/210200/210202/", "/210200/", industry) == "territory"
    assert branch_of("/210200/2102C01/", "/210200/", industry) == "industry"
    assert branch_of("/210200/2102C01/2102C01001/", "/210200/", industry) == "industry"
    # seen from the industrial union itself, its grassroots unions are one branch
    assert branch_of("/210200/2102C01/2102C01001/", "/210200/2102C01/", industry) == "territory"


def test_the_formula_with_both_branches():
    split = split_totals(
        F1,
        {"01A": 5, "05A": Decimal("1.0000")},
        [
            ("territory", {"01A": 100, "05A": Decimal("2.5000")}),
            ("territory", {"01A": 50}),
            ("industry", {"01A": 80, "05A": Decimal("0.2500")}),
        ],
        {"territory", "industry"},
    )
    assert split.branches["territory"]["01A"] == 150 and split.branches["industry"]["01A"] == 80
    assert split.children == {"01A": 150, "05A": Decimal("2.7500")}
    assert split.total == {"01A": 155, "05A": Decimal("3.7500")}
    assert split.rules["01A"] == "territory" and split.rules["05A"] == "both"
    assert "不相加" in split.rule_label("01A")


def test_one_branch_is_added_whole_whatever_the_rule():
    split = split_totals(F1, {}, [("industry", {"01A": 80})], {"industry"})
    assert split.total["01A"] == 80 and split.rules["01A"] == "both"
    assert split.rule_label("01A") == "本级＋下级"


def test_own_figures_alone_and_yes_no_counting():
    split = split_totals(F1, {"01A": 3, "07A": 0}, [], set())
    assert split.total == {"01A": 3, "07A": 0} and split.children == {}


def test_empty_is_not_zero():
    split = split_totals(F1, {}, [("territory", {"05A": Decimal("1.0000")})], {"territory"})
    assert "01A" not in split.total and split.total["05A"] == Decimal("1.0000")


def source(**extra):
    return {
        "code": "T1",
        "version": 1,
        "title": "测试表",
        "items": [
            {
                "number": "01",
                "lines": [
                    {
                        "letter": "A",
                        "text": "职工{01A}人，慰问金{01A.2}万元",
                        "blanks": [
                            {"code": "01A", "label": "职工", "type": "count", "unit": "人"},
                            {"code": "01A.2", "label": "慰问金", "type": "wan", "unit": "万元"},
                        ],
                    }
                ],
            }
        ],
        **extra,
    }


def test_the_rollup_key_is_loaded():
    definition = build(source(rollup=[{"blanks": ["01A"], "from": "territory", "note": "按属地"}]))
    assert definition.branch_rule("01A").branches == "territory"
    assert definition.branch_rule("01A").note == "按属地"
    assert definition.branch_rule("01A.2").branches == "both"
    assert definition.to_json()["rollup"] == [
        {"blanks": ["01A"], "branches": "territory", "note": "按属地"}
    ]


@pytest.mark.parametrize(
    "rollup, message",
    [
        ([{"blanks": ["09Z"], "from": "territory"}], "本表没有填报项 09Z"),
        ([{"blanks": ["01A"], "from": "county"}], "from 'county' 不在"),
        ([{"blanks": [], "from": "both"}], "blanks 不能为空"),
        (
            [{"blanks": ["01A"], "from": "both"}, {"blanks": ["01A"], "from": "territory"}],
            "填报项 01A 已在第 1 条声明过",
        ),
        ([{"blanks": ["01A"], "form": "both"}], "未知的键 form"),
    ],
)
def test_a_bad_rollup_key_is_refused_with_its_place(rollup, message):
    with pytest.raises(DefinitionError) as refused:
        build(source(rollup=rollup))
    assert message in str(refused.value) and "汇总规则（rollup）第" in str(refused.value)


def test_the_built_in_f1_declares_01_to_03_from_the_territory_branch():
    territory = {c for c in F1.blanks if F1.branch_rule(c).branches == "territory"}
    assert territory == {c for c in F1.blanks if c[:2] in ("01", "02", "03")}
