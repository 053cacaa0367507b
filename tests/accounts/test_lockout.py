"""Login throttling, through the real login form: an account is locked after 5 failures, a
client address only after 100; the page says so in Chinese without telling whether a name
exists; admins (and the command line) unlock; every login is in the history, never a password."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from chunfeng.core.models import AuditEvent
from tests.fixtures import PASSWORD

WRONG = "wrong-password-1"


def attempt(username, password, address="10.0.0.1", **headers):
    return Client().post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(username, times, address="10.0.0.1"):
    return [attempt(username, WRONG, address).status_code for _ in range(times)]


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def test_the_defaults(settings):
    assert settings.CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT == 5
    assert settings.CHUNFENG_LOGIN_FAILURES_PER_ADDRESS == 100
    assert settings.CHUNFENG_LOGIN_LOCK_MINUTES == 30
    assert settings.CHUNFENG_PROXY_HEADER == ""


def test_an_account_is_locked_after_five_failures_and_the_right_password_is_refused(fed):
    assert fail("zs_filler", 4) == [200] * 4
    page = attempt("zs_filler", WRONG)
    assert page.status_code == 429
    text = page.content.decode()
    assert "登录失败次数过多，该账号已锁定，请 30 分钟后再试" in text
    assert "管理员解锁" in text
    refused = attempt("zs_filler", PASSWORD)
    assert refused.status_code == 429 and "该账号已锁定" in refused.content.decode()
    # from another address too: the account is what is locked
    assert attempt("zs_filler", PASSWORD, address="10.9.9.9").status_code == 429
    # other accounts are untouched
    assert logged_in(attempt("zs_reviewer", PASSWORD))


def test_four_failures_then_success_starts_the_count_again(fed):
    fail("zs_filler", 4)
    assert logged_in(attempt("zs_filler", PASSWORD))
    assert fail("zs_filler", 4) == [200] * 4
    assert logged_in(attempt("zs_filler", PASSWORD))


def test_an_unknown_name_is_answered_like_a_real_one(fed):
    """The answers never tell whether a user has the name."""
    real = [attempt("zs_filler", WRONG) for _ in range(6)]
    ghost = [attempt("no_such_user", WRONG) for _ in range(6)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost] == [200] * 4 + [429] * 2
    for mine, theirs in zip(real, ghost, strict=True):
        assert _same_page(mine).replace("zs_filler", "NAME") == _same_page(theirs).replace(
            "no_such_user", "NAME"
        )


def _same_page(response) -> str:
    """The page without its CSRF tokens, which differ between any two answers."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())


def test_the_lock_ends_with_its_period(fed, settings):
    fail("zs_filler", 5)
    assert attempt("zs_filler", PASSWORD).status_code == 429
    settings.CHUNFENG_LOGIN_LOCK_MINUTES = 0  # every failure is older than the period now
    assert logged_in(attempt("zs_filler", PASSWORD))


def test_an_api_token_of_a_locked_user_keeps_working(fed, api):
    """Decided: the lock guards the password; a token is not guessed, and refusing it would let
    anyone who types a name five times stop that union's integrations."""
    token = fed.token("zs", "filler")
    fail("zs_filler", 5)
    assert attempt("zs_filler", PASSWORD).status_code == 429
    assert api(token).get("/api/v1/orgunits").status_code == 200


# --- per address -----------------------------------------------------------------------------


def test_an_address_is_limited_only_above_its_own_threshold(fed, settings):
    settings.CHUNFENG_LOGIN_FAILURES_PER_ADDRESS = 12  # 100 by default; smaller to stay fast
    names = ["zs_filler", "zs_reviewer", "zs_viewer"]
    # 12 failures from one office, no account at its own limit: the 12th locks the address
    answers = [code for name in names for code in fail(name, 4, address="10.1.1.1")]
    assert answers == [200] * 11 + [429]
    # a correct login from it is refused now, for anyone
    refused = attempt("zs_admin", PASSWORD, address="10.1.1.1")
    assert refused.status_code == 429
    assert "从您所在网络地址登录失败的次数过多" in refused.content.decode()
    # from elsewhere the same users log in
    assert logged_in(attempt("zs_filler", PASSWORD, address="10.2.2.2"))


def test_below_the_address_threshold_an_office_keeps_working(fed, settings):
    settings.CHUNFENG_LOGIN_FAILURES_PER_ADDRESS = 12
    for name in ["zs_filler", "zs_reviewer"]:
        fail(name, 4, address="10.1.1.1")
    fail("zs_viewer", 3, address="10.1.1.1")  # 11 failures: one short
    assert logged_in(attempt("zs_admin", PASSWORD, address="10.1.1.1"))


def test_the_proxy_header_counts_only_when_configured(fed, settings):
    settings.CHUNFENG_LOGIN_FAILURES_PER_ADDRESS = 6
    behind = {"HTTP_X_FORWARDED_FOR": "203.0.113.7, 192.0.2.1"}  # client, then a CDN hop

    def fail_behind(name, address="10.0.0.1"):
        for _ in range(3):
            attempt(name, WRONG, address, **behind)

    # not configured: the header is ignored, each connection counts as itself
    fail_behind("zs_filler", "10.0.0.1")
    fail_behind("zs_reviewer", "10.0.0.2")
    assert logged_in(attempt("zs_admin", PASSWORD, "10.0.0.3", **behind))
    # configured (two proxies append): the client is 203.0.113.7 whichever proxy it came by
    settings.CHUNFENG_PROXY_HEADER = "X-Forwarded-For"
    settings.CHUNFENG_PROXY_COUNT = 2
    fail_behind("xg_filler", "10.0.0.4")
    fail_behind("xg_reviewer", "10.0.0.5")
    assert attempt("zs_admin", PASSWORD, "10.0.0.6", **behind).status_code == 429
    assert logged_in(attempt("zs_admin", PASSWORD, "10.0.0.6"))  # without the header: itself


# --- unlocking ---------------------------------------------------------------------------------


def test_an_admin_unlocks_a_locked_user_of_their_subtree(fed, login):
    fail("zsg_filler", 5)
    admin = login(fed.user("zs", "admin"))
    page = admin.get("/users/").content.decode()
    assert "已锁定" in page and f'action="/users/{fed.user("zsg", "filler").pk}/unlock/"' in page
    response = admin.post(f"/users/{fed.user('zsg', 'filler').pk}/unlock/", follow=True)
    assert "已为用户 zsg_filler 解锁" in response.content.decode()
    assert "已锁定" not in admin.get("/users/").content.decode()
    assert logged_in(attempt("zsg_filler", PASSWORD))
    row = AuditEvent.objects.filter(action="user.unlock").get()
    assert row.actor == fed.user("zs", "admin") and row.details == {"was_locked": True}


@pytest.mark.parametrize(
    "who, status",
    [
        (("xg", "admin"), 404),  # another district: not in their subtree
        (("zsg", "admin"), 404),  # below: 中山区 is above them
        (("zs", "reviewer"), 403),
        (("city", "reviewer"), 403),
        (("zs", "filler"), 403),
        (("city", "viewer"), 403),
    ],
)
def test_unlock_is_for_admins_of_the_subtree(fed, login, who, status):
    client = login(fed.user(*who))  # (a login forgets that user's own failures: log in first)
    fail("zs_viewer", 5)
    response = client.post(f"/users/{fed.user('zs', 'viewer').pk}/unlock/")
    assert response.status_code == status
    assert attempt("zs_viewer", PASSWORD).status_code == 429


def test_the_command_line_unlocks(fed):
    fail("city_admin", 5)
    out = io.StringIO()
    call_command("user", "unlock", "city_admin", stdout=out)
    assert "已为用户 city_admin 解锁" in out.getvalue()
    assert logged_in(attempt("city_admin", PASSWORD))
    out = io.StringIO()
    call_command("user", "unlock", "city_admin", stdout=out)
    assert "没有被锁定" in out.getvalue()
    assert AuditEvent.objects.filter(action="user.unlock", by_system=True).count() == 2


# --- the history ---------------------------------------------------------------------------------


def test_logins_are_in_the_history_without_passwords(fed):
    user = fed.user("zs", "filler")
    fail("zs_filler", 5, address="10.3.3.3")
    attempt("zs_filler", PASSWORD, address="10.3.3.3")  # refused: locked
    attempt("ghost", WRONG, address="10.3.3.4")
    call_command("user", "unlock", "zs_filler", stdout=io.StringIO())
    attempt("zs_filler", PASSWORD, address="10.3.3.3")

    rows = AuditEvent.objects.filter(action__startswith="login.").order_by("id")
    assert [r.action for r in rows] == ["login.failed"] * 7 + ["login.succeeded"]
    failed = rows.filter(action="login.failed", target_id=str(user.pk))
    assert [r.details["locked"] for r in failed] == [False] * 4 + [True, True]
    assert {r.details["address"] for r in failed} == {"10.3.3.3"}
    assert all(r.actor is None and not r.by_system for r in failed)
    ghost = rows.get(details__username="ghost")
    assert (ghost.target_type, ghost.target_id, ghost.details["locked"]) == ("", "", False)
    success = rows.get(action="login.succeeded")
    assert (success.actor, success.target_id) == (user, str(user.pk))
    assert success.details == {"address": "10.3.3.3"}
    stored = " ".join(str(r.details) for r in AuditEvent.objects.all())
    assert WRONG not in stored and PASSWORD not in stored


def test_the_admin_sees_a_users_recent_logins(fed, login):
    fail("zs_filler", 2, address="10.4.4.4")
    attempt("zs_filler", PASSWORD, address="10.4.4.5")
    page = login(fed.user("zs", "admin")).get(f"/users/{fed.user('zs', 'filler').pk}/account/")
    text = page.content.decode()
    assert text.count("10.4.4.4") == 2 and "10.4.4.5" in text and "成功" in text
