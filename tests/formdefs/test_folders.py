"""Extra definition folders (CHUNFENG_FORM_DIRS): loaded and stored besides the built-in ones."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from chunfeng.formdefs.loader import (
    DEFINITIONS_DIR,
    DefinitionError,
    form_definitions,
    latest_builtin,
)
from chunfeng.formdefs.models import FormVersion
from chunfeng.formdefs.services import formdefs_sync

from ._support import mini_data


def write(folder, data, name=None):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{data['code']}.v{data['version']}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _setting_in_a_new_process(**env) -> str:
    code = "from django.conf import settings; print([str(p) for p in settings.CHUNFENG_FORM_DIRS])"
    environ = {k: v for k, v in os.environ.items() if k != "CHUNFENG_FORM_DIRS"}
    environ |= {"DJANGO_SETTINGS_MODULE": "chunfeng.config.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_setting_read_from_the_environment(tmp_path):
    assert _setting_in_a_new_process() == "[]"
    dirs = os.pathsep.join([str(tmp_path / "a"), "", str(tmp_path / "b")])
    expected = repr([str(tmp_path / "a"), str(tmp_path / "b")])
    assert _setting_in_a_new_process(CHUNFENG_FORM_DIRS=dirs) == expected


def test_definitions_of_every_folder_are_loaded(settings, tmp_path):
    write(tmp_path / "one", mini_data())
    write(tmp_path / "two", mini_data() | {"version": 2, "title": "测试表（第二版）"})
    settings.CHUNFENG_FORM_DIRS = [tmp_path / "one", str(tmp_path / "two")]
    found = form_definitions()
    assert {("F1", 1), ("F2", 1), ("T1", 1), ("T1", 2)} <= set(found)
    assert latest_builtin("T1").title == "测试表（第二版）"
    assert found[("F1", 2)] is latest_builtin("F1")  # the built-in ones are read once


def test_a_changed_file_is_read_again(settings, tmp_path):
    path = write(tmp_path, mini_data())
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    assert latest_builtin("T1").title == "测试表"
    write(tmp_path, mini_data() | {"title": "改过的测试表"})
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert latest_builtin("T1").title == "改过的测试表"


def test_missing_folder_refused(settings, tmp_path):
    settings.CHUNFENG_FORM_DIRS = [tmp_path / "nowhere"]
    with pytest.raises(DefinitionError, match="nowhere 不存在.*CHUNFENG_FORM_DIRS"):
        form_definitions()


def test_same_version_in_two_files_refused(settings, tmp_path):
    (tmp_path / "F1.v1.copy.yaml").write_bytes((DEFINITIONS_DIR / "F1.v1.yaml").read_bytes())
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    with pytest.raises(DefinitionError) as exc:
        form_definitions()
    assert str(exc.value).startswith("F1.v1.copy.yaml: 表单 F1 第 1 版已在")


def test_bad_file_in_an_extra_folder_names_it(settings, tmp_path):
    data = mini_data()
    data["chekcs"] = data.pop("checks")
    write(tmp_path, data, "next-year.yaml")
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    with pytest.raises(DefinitionError, match=r"^next-year\.yaml: 未知的键 chekcs"):
        form_definitions()


@pytest.mark.django_db
def test_sync_stores_the_extra_forms(settings, tmp_path):
    write(tmp_path, mini_data())
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    stored = formdefs_sync()
    assert [(fv.code, fv.version) for fv in stored] == [
        ("F1", 1),
        ("F1", 2),
        ("F2", 1),
        ("F2", 2),
        ("T1", 1),
    ]
    t1 = FormVersion.objects.get(code="T1")
    assert t1.title == "测试表" and t1.source == mini_data()
    assert t1.definition.blanks.keys() == latest_builtin("T1").blanks.keys()
    assert formdefs_sync() and FormVersion.objects.count() == 5  # idempotent


@pytest.mark.django_db
def test_sync_refuses_a_bad_extra_file_and_stores_nothing(settings, tmp_path):
    write(tmp_path, mini_data())
    data = mini_data() | {"code": "T2"}
    del data["items"][0]["lines"][0]["text"]
    write(tmp_path, data)
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    with pytest.raises(DefinitionError, match=r"^T2\.v1\.yaml: 第 01 项第 1 行：缺少 text"):
        formdefs_sync()
    assert not FormVersion.objects.exists()


def test_forms_command_lists_the_extra_forms(settings, tmp_path):
    write(tmp_path, mini_data())
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    out = io.StringIO()
    call_command("forms", "list", "--json", stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())}
    assert set(rows) == {"F1", "F2", "T1"} and rows["T1"]["fields"] == 7


def test_forms_command_names_a_bad_file(settings, tmp_path):
    write(tmp_path, mini_data() | {"derived": [{"code": "01A", "records": "x", "measure": "avg"}]})
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    with pytest.raises(CommandError, match=r"^T1\.v1\.yaml: 记录算出的项 01A：measure 'avg'"):
        call_command("forms", "list")


def test_forms_command_shows_derived(settings, tmp_path):
    derived = [
        {
            "code": "01A.2",
            "records": "households",
            "measure": "count",
            "where": {"is_migrant": True},
        }
    ]
    write(tmp_path, mini_data() | {"derived": derived})
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    out = io.StringIO()
    call_command("forms", "show", "T1", stdout=out)
    assert "  [derived] 01A.2: count households is_migrant=True" in out.getvalue()
