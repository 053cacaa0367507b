"""``chunfeng import-households --unit CODE FILE``: the same checks and all-or-nothing commit
as the page; each bad row is printed (row, column, reason) and the exit status is non-zero."""

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from chunfeng.register.models import Household

from .conftest import make_id, new_household, row, wrong_check, xlsx_bytes


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """run_from_argv closes the connections when it ends; the test still needs its own."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def run(argv) -> int:
    """The command as the console runs it: its exit status."""
    try:
        ManagementUtility(["chunfeng", *argv]).execute()
    except SystemExit as exit:
        return exit.code
    return 0


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx_bytes([row(1), row(2, 是否农民工="是")]))
    return path


def test_imports_a_good_file(fed, good_file, capsys):
    assert run(["import-households", "--unit", "210202001", str(good_file)]) == 0
    assert "已为青泥洼桥街道总工会（210202001）导入 2 户" in capsys.readouterr().out
    assert Household.objects.filter(unit=fed.zs_g1).count() == 2


def test_bad_rows_are_printed_and_nothing_is_imported(fed, tmp_path, capsys):
    new_household(fed, fed.xg, 4)
    path = tmp_path / "名单.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                row(1),
                row(2, 身份证号码=wrong_check(make_id(2))),
                row(3, 困难类别="", 家庭人口="三"),
                row(4),
                row(5, 身份证号码=make_id(1)),
                row(6, 身份证号码=2.10202198001011e17),
            ]
        )
    )
    assert run(["import-households", "--unit", "210202", str(path)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("第 ")]
    assert [tuple(line.split("\t")[:2]) for line in lines] == [
        ("第 3 行", "身份证号码"),
        ("第 4 行", "困难类别"),
        ("第 4 行", "家庭人口"),
        ("第 5 行", "身份证号码"),
        ("第 6 行", "身份证号码"),
        ("第 7 行", "身份证号码"),
    ]
    assert "校验位" in lines[0] and "西岗区总工会（210203）" in lines[3]
    assert "与第 2 行重复" in lines[4] and "文本" in lines[5]
    assert "未导入任何数据" in err
    assert Household.objects.count() == 1  # only 西岗区's own


def test_unknown_unit_missing_file_and_wrong_columns(fed, tmp_path, good_file):
    with pytest.raises(CommandError, match="没有代码为 999"):
        call_command("import-households", "--unit", "999", str(good_file))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import-households", "--unit", "210202", str(tmp_path / "none.xlsx"))
    path = tmp_path / "other.csv"
    path.write_text("名字,号码\n甲,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="请为“身份证号码”选择对应的列"):
        call_command("import-households", "--unit", "210202", str(path))
    assert not Household.objects.exists()


def test_aliases_are_understood_without_a_mapping(fed, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(f"职工姓名,身份证号,类别\n甲,{make_id(8)},C\n", encoding="utf-8")
    call_command("import-households", "--unit", "210202", str(path))
    assert Household.objects.get().category == "C"
