"""The definition schema: unknown keys, wrong types and missing keys are refused at every level,
with a Chinese message that names the file, the item, the line letter and the blank or check."""

from __future__ import annotations

import copy

import pytest
import yaml

from chunfeng.formdefs.loader import DefinitionError, build, load_file

from ._support import form, mini_data


def _data():
    data = copy.deepcopy(mini_data())
    data["header"] = [{"code": "unit", "label": "填报单位"}]
    return data


def _refused(data) -> str:
    with pytest.raises(DefinitionError) as exc:
        build(data)
    return str(exc.value)


# Where each level lives in mini_data, and how an error there names it.
LEVELS = {
    "top": (lambda d: d, ""),
    "header": (lambda d: d["header"][0], "表头（header）第 1 项"),
    "item": (lambda d: d["items"][0], "第 01 项"),
    "line": (lambda d: d["items"][0]["lines"][1], "第 01 项第 2 行"),
    "blank": (lambda d: d["items"][0]["lines"][1]["blanks"][1], "第 01 项 B 01B.2"),
    "check": (lambda d: d["checks"][0], "审核规则 T-01"),
}


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_unknown_key_refused_at_every_level(level):
    data = _data()
    place, where = LEVELS[level]
    place(data)["colour"] = "red"
    message = _refused(data)
    assert message.startswith(where)
    assert "未知的键 colour" in message


def test_misspelt_checks_is_refused_not_ignored():
    data = _data()
    data["chekcs"] = data.pop("checks")
    message = _refused(data)
    assert "未知的键 chekcs" in message and "是否应为 checks" in message


def test_misspelt_blank_key_names_the_blank():
    data = _data()
    spec = data["items"][0]["lines"][0]["blanks"][1]
    spec["lable"] = spec.pop("label")
    message = _refused(data)
    assert message.startswith("第 01 项 A 01A.2：")
    assert "lable" in message and "label" in message


@pytest.mark.parametrize(
    "level, key",
    [
        ("top", "title"),
        ("header", "label"),
        ("item", "lines"),
        ("line", "text"),
        ("blank", "type"),
        ("blank", "label"),
        ("check", "expr"),
    ],
)
def test_missing_key_named_with_its_place(level, key):
    data = _data()
    place, where = LEVELS[level]
    del place(data)[key]
    message = _refused(data)
    assert message.startswith(where)
    assert f"缺少 {key}" in message


def test_missing_text_names_item_and_line():
    data = _data()
    del data["items"][1]["lines"][0]["text"]
    assert _refused(data) == "第 02 项第 1 行：缺少 text"


def test_missing_blank_code_names_item_letter_and_position():
    data = _data()
    spec = data["items"][0]["lines"][1]["blanks"][2]
    del spec["code"]
    assert _refused(data) == "第 01 项 B 第 3 个空：缺少 code"


def test_missing_item_number_names_its_position():
    data = _data()
    del data["items"][1]["number"]
    assert _refused(data) == "items 第 2 个项目：缺少 number"


@pytest.mark.parametrize(
    "level, key, value, expected",
    [
        ("top", "version", "1", "version 应为整数"),
        ("top", "version", True, "version 应为整数"),
        ("top", "code", 1, "code 应为文字（请加引号）"),
        ("top", "items", {"number": "01"}, "items 应为列表"),
        ("top", "checks", {"id": "T-01"}, "checks 应为列表"),
        ("top", "notes", "测试用。", "notes 应为列表"),
        ("item", "intro", ["元旦"], "intro 应为文字"),
        ("line", "text", None, "text 应为文字"),
        ("line", "blanks", {"code": "01B"}, "blanks 应为列表"),
        ("line", "letter", 1, "letter 应为文字"),
        ("blank", "label", 5, "label 应为文字（请加引号）"),
        ("blank", "unit", None, "unit 应为文字"),
        ("check", "expr", 1, "expr 应为文字"),
        ("check", "message", ["a"], "message 应为文字"),
    ],
)
def test_wrong_type_refused(level, key, value, expected):
    data = _data()
    place, where = LEVELS[level]
    place(data)[key] = value
    message = _refused(data)
    assert message.startswith(where)
    assert expected in message


def test_unquoted_item_number_is_refused_with_a_hint():
    """YAML reads ``number: 07`` as the integer 7."""
    data = _data()
    data["items"][1]["number"] = 7
    assert "number 应为文字（请加引号），而不是整数 7" in _refused(data)


def test_unquoted_blank_code_is_refused_with_a_hint():
    data = _data()
    data["items"][1]["lines"][0]["blanks"][0]["code"] = 2
    message = _refused(data)
    assert message.startswith("第 02 项 （无字母行） 第 1 个空：")
    assert "code 应为文字（请加引号）" in message


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (
            lambda d: d["items"][0]["lines"].__setitem__(0, "总数"),
            "第 01 项第 1 行：这一项 应为映射",
        ),
        (lambda d: d["notes"].append(3), "notes 第 2 条 应为文字"),
        (lambda d: d["checks"].append("{01A} > 0"), "审核规则（checks）第 2 条：这一项 应为映射"),
        (lambda d: d.__setitem__("items", []), "填报项目 items 不能为空"),
        (lambda d: d["items"][0].__setitem__("lines", []), "第 01 项：lines 不能为空"),
        (lambda d: d["items"][0]["lines"][0].__setitem__("text", " "), "第 01 项 A：文字 text"),
        (lambda d: d["items"][0]["lines"][0].__setitem__("letter", "a"), "第 01 项第 1 行：字母"),
        (lambda d: d["items"][0]["lines"][0].__setitem__("letter", "AB"), "第 01 项第 1 行：字母"),
        (lambda d: d["header"][0].__setitem__("code", "unitt"), "表头（header）第 1 项：代码"),
        (lambda d: d["header"].append({"code": "unit", "label": "x"}), "第 2 项：代码 unit 重复"),
        (lambda d: d.__setitem__("number_style", "roman"), "number_style 'roman'"),
        (lambda d: d.__setitem__("version", 0), "版本号 version 应为 1 至 2147483647 的整数"),
        (lambda d: d.__setitem__("version", 2**31), "而不是 2147483648"),
        (lambda d: d.__setitem__("code", "F 9"), "表单代码 code 'F 9'"),
        (lambda d: d.__setitem__("code", "F" * 17), "表单代码 code"),
        (lambda d: d.__setitem__("title", "表" * 129), "标题 title"),
        (lambda d: d.__setitem__("attachment", "附" * 33), "附件名 attachment"),
        (
            lambda d: d["checks"][0].__setitem__("id", " "),
            "审核规则（checks）第 1 条：编号 id 不能为空",
        ),
    ],
)
def test_bad_values_refused(mutate, expected):
    data = _data()
    mutate(data)
    assert expected in _refused(data)


def test_level_and_missing_name_the_bad_value():
    data = _data()
    data["checks"][0]["level"] = "fatal"
    assert _refused(data) == "审核规则 T-01：级别 level 'fatal' 不在 ('error', 'warning') 之中"
    data = _data()
    data["checks"][0]["missing"] = "sometimes"
    assert "审核规则 T-01：missing 'sometimes'" in _refused(data)


@pytest.mark.parametrize("top", [None, [], "F1", 3])
def test_content_that_is_not_a_mapping(top):
    assert "定义文件的内容 应为映射" in _refused(top)


# --- files --------------------------------------------------------------------------------------


def _file(tmp_path, text: str):
    path = tmp_path / "F9.v1.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _file_refused(path) -> str:
    with pytest.raises(DefinitionError) as exc:
        load_file(path)
    return str(exc.value)


def test_empty_file_refused_naming_it(tmp_path):
    assert _file_refused(_file(tmp_path, "")).startswith("F9.v1.yaml: 定义文件的内容 应为映射")


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    text = yaml.safe_dump(_data(), allow_unicode=True) + "checks: [\n"
    message = _file_refused(_file(tmp_path, text))
    assert message.startswith("F9.v1.yaml: 第 ") and "YAML 格式错误" in message


def test_key_given_twice_refused_naming_the_line(tmp_path):
    """PyYAML would keep the second ``checks:`` and silently drop the first."""
    text = yaml.safe_dump(_data(), allow_unicode=True, sort_keys=False) + "checks: []\n"
    line = text.count("\n")
    assert _file_refused(_file(tmp_path, text)) == f"F9.v1.yaml: 第 {line} 行：键 checks 重复"


def test_file_not_utf8_refused(tmp_path):
    path = tmp_path / "F9.v1.yaml"
    path.write_bytes("title: 测试表\n".encode("gb18030"))
    assert _file_refused(path) == "F9.v1.yaml: 文件不是 UTF-8 编码"


def test_error_deep_in_a_file_names_file_item_letter_and_blank(tmp_path):
    data = _data()
    del data["items"][0]["lines"][1]["blanks"][1]["type"]
    path = _file(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    assert _file_refused(path) == "F9.v1.yaml: 第 01 项 B 01B.2：缺少 type"


MERGED = """\
code: T1
version: 1
title: 测试表
items:
  - number: "01"
    lines:
      - letter: A
        text: 总数{01A}人，其中{01A.2}人。
        blanks:
          - &total {code: 01A, label: 总数, unit: 人, type: count}
          - {<<: *total, code: 01A.2, label: 其中}
"""


def test_yaml_anchors_and_merge_keys_still_work(tmp_path):
    definition = load_file(_file(tmp_path, MERGED))
    assert definition.blanks["01A.2"].unit == "人" and definition.blanks["01A.2"].label == "其中"


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_built_in_definitions_pass_the_schema(code):
    assert form(code).blanks and form(code).checks
