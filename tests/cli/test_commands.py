"""The console command: `chunfeng forms`, `user add`, `token create`, and `python -m chunfeng`."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chunfeng.accounts.models import User
from chunfeng.accounts.services import token_authenticate


def run(*args, stdin: str = "") -> str:
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_forms_list_and_json():
    assert "F1\tv1\t附件1 送温暖工程统计表" in run("forms", "list")
    rows = json.loads(run("forms", "list", "--json"))
    assert {r["code"]: r["fields"] for r in rows} == {"F1": 77, "F2": 87}


def test_forms_show_json_has_fields_and_checks():
    body = json.loads(run("forms", "show", "F2", "--json"))
    assert body["title"] == "困难职工帮扶中心统计表"
    fields = {f["code"]: f for f in body["fields"]}
    assert fields["05B"] == {
        "code": "05B",
        "label": "资金是否纳入财政预算",
        "unit": "(是/否)",
        "type": "yesno",
    }
    assert "12H" in fields and "12G" not in fields
    assert any(c["id"] == "F2-S04" for c in body["checks"])


def test_forms_show_unknown():
    with pytest.raises(CommandError, match="F9"):
        run("forms", "show", "F9")


def test_user_add_reads_password_from_stdin_and_token_authenticates(fed):
    out = run(
        "user", "add", "newbie", "--unit", "210203", "--role", "reviewer", stdin="a-long-password\n"
    )
    assert "newbie" in out
    user = User.objects.get(username="newbie")
    assert (user.unit.code, user.role) == ("210203", "reviewer")
    assert user.check_password("a-long-password")
    token = run("token", "create", "newbie").strip()
    assert token_authenticate(token) == user


@pytest.mark.parametrize(
    "args, message",
    [
        (("user", "add", "x", "--unit", "999999", "--role", "filler"), "999999"),
        (("user", "add", "zs_filler", "--unit", "210202", "--role", "filler"), "已存在"),
    ],
)
def test_user_add_errors(fed, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, stdin="a-long-password\n")


def test_user_add_needs_a_password(fed):
    with pytest.raises(CommandError, match="密码"):
        run("user", "add", "x", "--unit", "210202", "--role", "filler", stdin="")


def test_token_for_unknown_user(fed):
    with pytest.raises(CommandError):
        run("token", "create", "nobody")


def test_python_dash_m_runs_the_same_command():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chunfeng.config.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "chunfeng", "forms", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    listed = [(r["code"], r["version"]) for r in json.loads(result.stdout)]
    assert listed == [("F1", 1), ("F1", 2), ("F2", 1), ("F2", 2)]  # every stored version
