"""The password policy wherever a password is set (web, command line, services), in Chinese;
changing one's own password; an admin's reset with the change forced at the next login."""

import io
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from chunfeng.accounts.models import User
from chunfeng.accounts.passwords import password_problems
from chunfeng.accounts.services import user_create
from chunfeng.core.errors import ApplicationError
from chunfeng.core.models import AuditEvent
from chunfeng.demo import data as demo
from tests.fixtures import PASSWORD

NEW = "spring-breeze-2012"

WEAK = [
    ("12345678", ["密码太短，至少需要 10 个字符。", "这个密码太常见了。", "密码只包含数字。"]),
    ("1234567890", ["这个密码太常见了。", "密码只包含数字。"]),
    ("password123", ["这个密码太常见了。"]),
    ("short-1", ["密码太短，至少需要 10 个字符。"]),
    ("zhou8zhou", ["密码跟 用户名 太相似了。", "密码太短，至少需要 10 个字符。"]),
]


def test_the_demo_and_test_passwords_pass_the_policy(db):
    for name in ("city_admin", "zs_filler", "qnwq_filler"):
        assert password_problems(demo.DEMO_PASSWORD, User(username=name)) == []
        assert password_problems(PASSWORD, User(username=name)) == []


@pytest.mark.parametrize("password, problems", WEAK)
def test_weak_passwords_are_refused_in_chinese(fed, password, problems):
    with pytest.raises(ApplicationError) as refused:
        user_create(username="zhou8", unit=fed.zs, role="admin", password=password)
    assert refused.value.message == "密码不符合要求：" + "".join(problems)
    assert not User.objects.filter(username="zhou8").exists()


def test_the_full_name_counts_as_personal_information(fed):
    with pytest.raises(ApplicationError, match="密码跟 姓名 太相似了"):
        user_create(
            username="z8", full_name="zhouba2012", unit=fed.zs, role="filler", password="zhouba2012"
        )


def test_the_users_page_refuses_a_weak_password_in_chinese_even_in_english(fed, login):
    client = login(fed.user("zs", "admin"))
    client.cookies["django_language"] = "en"
    data = {"username": "zhou8", "unit": "210202", "role": "admin", "password": "12345678"}
    page = client.post("/users/add/", data).content.decode()
    assert "密码太短，至少需要 10 个字符。" in page and "密码只包含数字。" in page
    assert "This password" not in page
    assert not User.objects.filter(username="zhou8").exists()


def run(*args, stdin=""):
    out, old = io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
    finally:
        sys.stdin = old
    return out.getvalue()


def test_the_command_line_refuses_a_weak_admin_password_in_chinese(fed):
    with pytest.raises(CommandError) as refused:
        run("user", "add", "boss", "--unit", "210200", "--role", "admin", stdin="12345678\n")
    assert str(refused.value).startswith("密码不符合要求：密码太短，至少需要 10 个字符。")
    assert "这个密码太常见了。" in str(refused.value)
    assert not User.objects.filter(username="boss").exists()


# --- one's own password ------------------------------------------------------------------------


def change(client, old=PASSWORD, new=NEW, again=None):
    data = {"old_password": old, "new_password": new, "new_password2": again or new}
    return client.post("/users/me/password/", data)


def test_the_header_leads_to_the_change_page(fed, login):
    client = login(fed.user("zs", "viewer"))
    assert 'href="/users/me/password/"' in client.get("/").content.decode()
    assert 'href="/users/me/"' in client.get("/").content.decode()
    assert client.get("/users/me/password/").status_code == 200


def test_a_user_changes_their_password(fed, login):
    user = fed.user("zs", "viewer")
    client = login(user)
    response = change(client)
    assert response.status_code == 302 and response["Location"] == "/users/me/"
    assert client.get("/").status_code == 200  # still signed in on this browser
    user.refresh_from_db()
    assert user.check_password(NEW)
    row = AuditEvent.objects.get(action="user.password_change")
    assert row.actor == user and row.details == {}
    assert (
        Client().post("/login/", {"username": user.username, "password": PASSWORD}).status_code
        == 200
    )


@pytest.mark.parametrize(
    "form, message",
    [
        ({"old": "not-my-password"}, "原密码不正确"),
        ({"again": "something-else-2012"}, "两次输入的新密码不一致"),
        ({"new": PASSWORD}, "新密码不能与原密码相同"),
        ({"new": "12345678"}, "密码太短，至少需要 10 个字符。"),
        ({"new": "zs_viewer1"}, "密码跟 用户名 太相似了。"),
    ],
)
def test_a_bad_change_is_refused_and_says_why(fed, login, form, message):
    user = fed.user("zs", "viewer")
    response = change(login(user), **form)
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_other_sessions_end_when_the_password_changes(fed, login):
    user = fed.user("zs", "viewer")
    elsewhere = login(user)
    change(login(user))
    assert elsewhere.get("/").status_code == 302  # sent to the login page


# --- an admin's reset ----------------------------------------------------------------------------


def test_an_admin_resets_a_password_and_the_user_must_change_it(fed, login):
    target = fed.user("zsg", "filler")
    admin = login(fed.user("zs", "admin"))
    page = admin.post(f"/users/{target.pk}/password/")
    assert page.status_code == 200
    temporary = page.context["password"]
    assert temporary in page.content.decode() and len(temporary) == 14
    assert "no-store" in page["Cache-Control"]
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(temporary)
    row = AuditEvent.objects.get(action="user.password_reset")
    assert row.actor == fed.user("zs", "admin") and temporary not in str(row.details)

    # the user logs in with it and is sent to the change page from everywhere but a few
    client = Client()
    response = client.post("/login/", {"username": target.username, "password": temporary})
    assert response.status_code == 302
    for path in ("/", "/users/me/", "/campaigns/", f"/campaigns/{fed.campaign.pk}/"):
        answer = client.get(path)
        assert (answer.status_code, answer["Location"]) == (302, "/users/me/password/"), path
    page = client.get("/users/me/password/")
    assert page.status_code == 200 and "管理员已重置您的密码" in page.content.decode()
    assert client.get("/static/chunfeng/app.css").status_code != 302
    # keeping the temporary password is not a change
    assert change(client, old=temporary, new=temporary).status_code == 400
    assert change(client, old=temporary, new=NEW).status_code == 302
    assert client.get("/").status_code == 200
    target.refresh_from_db()
    assert not target.must_change_password


def test_logout_stays_open_when_a_change_is_due(fed, login):
    target = fed.user("zs", "filler")
    User.objects.filter(pk=target.pk).update(must_change_password=True)
    client = login(target)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_the_command_line_resets_a_password(fed):
    temporary = run("user", "reset-password", "city_admin").strip()
    user = User.objects.get(username="city_admin")
    assert user.check_password(temporary) and user.must_change_password
    assert AuditEvent.objects.get(action="user.password_reset").by_system


@pytest.mark.parametrize(
    "who, status",
    [
        (("xg", "admin"), 404),  # another district
        (("zsg", "admin"), 404),  # a unit below
        (("zs", "admin"), 403),  # themselves: they change it instead
        (("zs", "reviewer"), 403),
        (("zs", "filler"), 403),
        (("city", "viewer"), 403),
    ],
)
def test_a_reset_is_for_admins_of_the_subtree_and_not_of_oneself(fed, login, who, status):
    target = fed.user("zs", "admin")
    assert login(fed.user(*who)).post(f"/users/{target.pk}/password/").status_code == status
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.must_change_password


def test_a_city_admin_resets_a_district_admin(fed, login):
    target = fed.user("zs", "admin")
    assert login(fed.user("city", "admin")).post(f"/users/{target.pk}/password/").status_code == 200
    target.refresh_from_db()
    assert target.must_change_password
