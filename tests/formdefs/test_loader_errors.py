"""The loader refuses bad definitions with a DefinitionError naming the item, blank or check."""

from __future__ import annotations

import copy

import pytest
import yaml

from chunfeng.formdefs.loader import DefinitionError, build, load_file

from ._support import mini_data


def _data():
    return copy.deepcopy(mini_data())


def _blanks(data, item=0, line=0):
    return data["items"][item]["lines"][line]["blanks"]


def test_mini_definition_is_valid():
    definition = build(_data())
    assert list(definition.blanks) == ["01A", "01A.2", "01B", "01B.2", "01B.3", "02", "02.2"]
    assert [b.type for b in definition.blanks.values()] == [
        "count",
        "count",
        "wan",
        "yuan",
        "yesno",
        "count",
        "count",
    ]
    assert definition.checks[0].missing == "skip_if_any"
    assert definition.checks[0].level == "error"
    assert definition.checks[0].fields == ("01A.2", "01A")


# --- the code rule ---------------------------------------------------------------------------


def _rename(data, item, line, n, code):
    """Rename the n-th blank of a line in both the text and the declaration."""
    spec = data["items"][item]["lines"][line]
    old = spec["blanks"][n]["code"]
    spec["blanks"][n]["code"] = code
    spec["text"] = spec["text"].replace("{" + old + "}", "{" + code + "}")


@pytest.mark.parametrize(
    "item, line, n, code, expected",
    [
        (0, 0, 1, "01A.3", "01A.2"),  # wrong position number
        (0, 0, 0, "01B", "01A"),  # wrong letter
        (0, 0, 0, "01A.1", "01A"),  # the first blank carries no suffix
        (0, 0, 0, "02A", "01A"),  # wrong item
        (0, 1, 2, "01B.4", "01B.3"),
        (1, 0, 0, "02A", "02"),  # a line without letter
        (1, 0, 1, "02.3", "02.2"),
    ],
)
def test_wrong_code_for_position(item, line, n, code, expected):
    data = _data()
    _rename(data, item, line, n, code)
    with pytest.raises(DefinitionError) as exc:
        build(data)
    message = str(exc.value)
    assert code in message
    assert expected in message
    assert f"第 {data['items'][item]['number']} 项" in message
    assert f"第 {n + 1} 个空" in message


def test_line_without_letter_is_named():
    data = _data()
    _rename(data, 1, 0, 0, "02A")
    with pytest.raises(DefinitionError, match="无字母行"):
        build(data)


@pytest.mark.parametrize(
    "n, unit, btype",
    [
        (0, "万元", "count"),
        (0, "元", "count"),
        (0, "(是/否)", "count"),
        (0, "人", "wan"),
        (0, "人", "yesno"),
        (0, "元", "wan"),
        (0, "万元", "yuan"),
    ],
)
def test_unit_type_mismatch(n, unit, btype):
    data = _data()
    _blanks(data)[n].update(unit=unit, type=btype)
    with pytest.raises(DefinitionError) as exc:
        build(data)
    message = str(exc.value)
    assert _blanks(data)[n]["code"] in message
    assert unit in message
    assert btype in message
    assert "第 01 项 A" in message


@pytest.mark.parametrize("btype", ["money", "", None, "int"])
def test_unknown_type(btype):
    data = _data()
    _blanks(data)[1]["type"] = btype
    with pytest.raises(DefinitionError, match="01A.2"):
        build(data)


def test_missing_label():
    data = _data()
    _blanks(data)[1]["label"] = ""
    with pytest.raises(DefinitionError, match=r"01A\.2.*label"):
        build(data)


def test_duplicate_blank_code():
    data = _data()
    data["items"][0]["lines"][1] = copy.deepcopy(data["items"][0]["lines"][0])  # a second line A
    with pytest.raises(DefinitionError, match="01A.*重复"):
        build(data)


@pytest.mark.parametrize("number", ["1", "001", "A1", "1A"])
def test_bad_item_number(number):
    data = _data()
    data["items"][0]["number"] = number
    with pytest.raises(DefinitionError, match=number):
        build(data)


def test_duplicate_item_number_refused():
    data = _data()
    extra = {
        "number": "01",
        "lines": [
            {
                "letter": "C",
                "text": "另有{01C}人。",
                "blanks": [{"code": "01C", "label": "另有", "unit": "人", "type": "count"}],
            }
        ],
    }
    data["items"].append(extra)
    with pytest.raises(DefinitionError, match="01"):
        build(data)


@pytest.mark.parametrize("key", ["code", "version", "title", "items"])
def test_missing_top_level_key(key):
    data = _data()
    del data[key]
    with pytest.raises(DefinitionError, match=key):
        build(data)


# --- text / blanks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "总数{01A}人，其中人。",  # a declared blank missing from the text
        "总数{01A}人，其中{01A.2}人，另{01A.3}人。",  # a blank in the text not declared
        "总数{01A.2}人，其中{01A}人。",  # order differs
        "总数人，其中人。",
    ],
)
def test_text_blanks_mismatch(text):
    data = _data()
    data["items"][0]["lines"][0]["text"] = text
    with pytest.raises(DefinitionError) as exc:
        build(data)
    assert "第 01 项 A" in str(exc.value)
    assert "不一致" in str(exc.value)


def test_blank_declared_twice_in_text_is_a_mismatch():
    data = _data()
    data["items"][0]["lines"][0]["text"] = "总数{01A}人，其中{01A.2}人，{01A.2}。"
    with pytest.raises(DefinitionError, match="不一致"):
        build(data)


# --- checks --------------------------------------------------------------------------------------


def _with_check(**check):
    data = _data()
    data["checks"] = [{"id": "T-09", **check}]
    return data


def test_unknown_code_in_check():
    with pytest.raises(DefinitionError) as exc:
        build(_with_check(expr="{99Z} <= {01A}"))
    assert "T-09" in str(exc.value)
    assert "99Z" in str(exc.value)


def test_unknown_code_of_another_form():
    with pytest.raises(DefinitionError, match="01C"):
        build(_with_check(expr="{01C} <= {01A}"))


def test_duplicate_check_ids_refused():
    data = _data()
    data["checks"] = [
        {"id": "T-01", "expr": "{01A.2} <= {01A}"},
        {"id": "T-02", "expr": "{02.2} >= 0"},
        {"id": "T-01", "expr": "{02} >= 0"},
    ]
    with pytest.raises(DefinitionError, match="重复"):
        build(data)


def test_duplicate_check_ids_error_names_the_id():
    data = _data()
    data["checks"] = [
        {"id": "T-01", "expr": "{01A.2} <= {01A}"},
        {"id": "T-01", "expr": "{02} >= 0"},
    ]
    with pytest.raises(DefinitionError, match="T-01"):
        build(data)


def test_check_without_id_refused():
    data = _data()
    data["checks"] = [{"expr": "{01A.2} <= {01A}"}]
    with pytest.raises(DefinitionError):
        build(data)


def test_check_without_expr_refused_with_definition_error():
    data = _data()
    data["checks"] = [{"id": "T-09"}]
    with pytest.raises(DefinitionError, match="T-09"):
        build(data)


@pytest.mark.parametrize(
    "expr",
    [
        "__import__('os')",
        "__import__('os').system('true')",
        "{01A}.real",
        "{01A}.__class__",
        "open('/etc/passwd')",
        "len({01A})",
        "{01A}[0]",
        "{01A} ** 2",
        "{01A} / 2",
        "{01A} // 2",
        "{01A} % 2",
        "'{01A}' == '0'",
        "{01A} == True",
        "{01A} in (1, 2)",
        "lambda: {01A}",
        "[x for x in ()]",
        "{01A} if {01A} else 0",
        "(x := 1)",
        "x <= {01A}",
        "01A <= 5",
        "{01A} <=",
        "{01A} <= 0; 1",
        "",
    ],
)
def test_forbidden_expressions_refused(expr):
    with pytest.raises(DefinitionError) as exc:
        build(_with_check(expr=expr))
    assert "T-09" in str(exc.value)


@pytest.mark.parametrize("level, missing", [("fatal", "skip_if_any"), ("error", "sometimes")])
def test_bad_level_or_missing(level, missing):
    with pytest.raises(DefinitionError, match="T-09"):
        build(_with_check(expr="{01A} >= 0", level=level, missing=missing))


def test_default_message_generated():
    definition = build(_with_check(expr="{01A.2} <= {01A}"))
    assert definition.checks[0].message == "其中（01A.2）不能大于总数（01A）。"


def test_explicit_message_kept():
    definition = build(_with_check(expr="{01A.2} <= {01A}", message="自定义。"))
    assert definition.checks[0].message == "自定义。"


# --- load_file ------------------------------------------------------------------------------------


def test_load_file_round_trip(tmp_path):
    path = tmp_path / "T1.v1.yaml"
    path.write_text(yaml.safe_dump(_data(), allow_unicode=True), encoding="utf-8")
    definition = load_file(path)
    assert definition.code == "T1"
    assert list(definition.blanks)[-1] == "02.2"


def test_load_file_error_names_the_file(tmp_path):
    data = _data()
    _rename(data, 0, 0, 1, "01A.3")
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError) as exc:
        load_file(path)
    assert str(exc.value).startswith("broken.yaml: ")
    assert "01A.3" in str(exc.value)
