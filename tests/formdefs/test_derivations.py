"""The ``derived:`` section: record-based figures declared in the definition. Only its shape is
the loader's to check; the record sets and their fields belong to chunfeng.reconcile."""

from __future__ import annotations

import copy

import pytest

from chunfeng.formdefs.loader import DefinitionError, build
from chunfeng.formdefs.schema import Derivation

from ._support import form, mini_data

DERIVED = [
    {"code": "01A", "records": "households", "measure": "count"},
    {
        "code": "01A.2",
        "records": "households",
        "measure": "distinct_households",
        "where": {"is_migrant": True, "category": "B", "members": 2},
    },
    {"code": "01B", "records": "payments", "measure": "sum", "where": {}},
    {
        "code": "01B.2",
        "records": "payment_lines",
        "measure": "sum",
        "where": {"aid_type": "heating"},
    },
]


def _data(derived=None):
    data = copy.deepcopy(mini_data())
    data["derived"] = copy.deepcopy(DERIVED if derived is None else derived)
    return data


def _refused(derived) -> str:
    with pytest.raises(DefinitionError) as exc:
        build(_data(derived))
    return str(exc.value)


def test_derived_builds_frozen_derivations_in_file_order_with_sorted_filters():
    definition = build(_data())
    assert definition.derived == (
        Derivation("01A", "households", "count", ()),
        Derivation(
            "01A.2",
            "households",
            "distinct_households",
            (("category", "B"), ("is_migrant", True), ("members", 2)),
        ),
        Derivation("01B", "payments", "sum", ()),
        Derivation("01B.2", "payment_lines", "sum", (("aid_type", "heating"),)),
    )
    hash(definition.derived)  # immutable all the way down


def test_derived_is_optional():
    data = copy.deepcopy(mini_data())
    assert build(data).derived == ()
    assert len(form("F2").derived) == 3  # 附件2's 10D from the 12351 cases
    assert len(form("F1").derived) == 33  # 附件1's 表实相符 blanks


def test_to_json_includes_derived():
    derived = build(_data()).to_json()["derived"]
    assert derived[0] == {
        "code": "01A",
        "records": "households",
        "measure": "count",
        "where": {},
        "of": "",
        "period": "campaign",
    }
    assert derived[1]["where"] == {"is_migrant": True, "category": "B", "members": 2}
    assert build(copy.deepcopy(mini_data())).to_json()["derived"] == []


def _one(**changes):
    entry = {"code": "01A", "records": "households", "measure": "count"} | changes
    return [{k: v for k, v in entry.items() if v is not None}]


@pytest.mark.parametrize(
    "derived, expected",
    [
        ({"code": "01A"}, "derived 应为列表"),
        (["01A"], "记录算出的项（derived）第 1 条：这一项 应为映射"),
        (_one(measure="total"), "记录算出的项 01A：measure 'total' 不在"),
        (_one(code="99Z"), "记录算出的项 99Z：本表没有填报项 99Z"),
        (_one(code=None), "记录算出的项（derived）第 1 条：缺少 code"),
        (_one(records=None), "记录算出的项 01A：缺少 records"),
        (_one(records=""), "记录算出的项 01A：记录集 records '' 应为非空的英文标识符"),
        (_one(records="house holds"), "records 'house holds'"),
        (_one(records="家庭"), "records '家庭'"),
        (_one(records=3), "records 应为文字（请加引号）"),
        (_one(measure=None), "记录算出的项 01A：缺少 measure"),
        (_one(filter={"a": 1}), "记录算出的项 01A：未知的键 filter"),
        (_one(wehre={"a": 1}), "是否应为 where"),
        (_one(where=[["a", 1]]), "where 应为映射"),
        (_one(where={"a": 1.5}), "where 中 a 的值应为文字、整数或是/否，而不是小数 1.5"),
        (_one(where={"a": None}), "where 中 a 的值应为文字、整数或是/否，而不是空值 None"),
        (_one(where={"a": ["x"]}), "where 中 a 的值"),
        (_one(where={"a": {"b": 1}}), "where 中 a 的值"),
        (_one(where={1: "x"}), "where 中的字段名 1"),
        (_one(where={"is migrant": True}), "where 中的字段名 'is migrant'"),
        (_one(code="01B", measure="count"), "measure count 不能用于类型为 wan 的填报项"),
        (_one(code="01B.3", measure="sum"), "measure sum 不能用于类型为 yesno 的填报项"),
        (_one() + _one(measure="sum"), "记录算出的项 01A：填报项 01A 已在前面声明过"),
        (_one(of="workers"), "of 只用于 sum"),
        (_one(measure="sum", of="the workers"), "of 只用于 sum，应为英文标识符"),
        (_one(period="month"), "period 'month' 不在"),
    ],
)
def test_bad_derived_refused(derived, expected):
    assert expected in _refused(derived)


def test_sum_may_fill_a_count_blank():
    assert build(_data(_one(measure="sum"))).derived[0].measure == "sum"


def test_record_names_are_not_checked_here():
    """Which record sets and fields exist is chunfeng.reconcile's to say."""
    definition = build(_data(_one(records="no_such_records", where={"no_such_field": "x"})))
    assert definition.derived[0].records == "no_such_records"
