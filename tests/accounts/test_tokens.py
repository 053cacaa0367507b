"""API tokens expire, and can be listed and revoked: on the command line, on one's own page,
and by admins for the users of their subtree."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from chunfeng.accounts.models import ApiToken
from chunfeng.accounts.services import token_authenticate, token_create, token_revoke
from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.core.models import AuditEvent


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def stored(token: str) -> ApiToken:
    return ApiToken.objects.get(digest=ApiToken.hash(token))


def test_a_token_expires_after_the_default_days(fed, settings):
    token = token_create(user=fed.user("zs", "filler"))
    left = stored(token).expires_at - timezone.now()
    assert dt.timedelta(days=179, hours=23) < left <= dt.timedelta(days=180)
    settings.CHUNFENG_TOKEN_DAYS = 30
    left = stored(token_create(user=fed.user("zs", "filler"))).expires_at - timezone.now()
    assert dt.timedelta(days=29) < left <= dt.timedelta(days=30)


def test_an_expired_token_is_refused(fed, api):
    token = fed.token("zs", "filler")
    assert api(token).get("/api/v1/orgunits").status_code == 200
    ApiToken.objects.filter(digest=ApiToken.hash(token)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert token_authenticate(token) is None
    assert api(token).get("/api/v1/orgunits").status_code == 401


def test_the_command_line_creates_with_days_lists_and_revokes(fed, api):
    token = run("token", "create", "zs_filler", "--days", "7", "--label", "报表同步").strip()
    left = stored(token).expires_at - timezone.now()
    assert dt.timedelta(days=6) < left <= dt.timedelta(days=7)
    api(token).get("/api/v1/orgunits")
    listing = run("token", "list", "zs_filler")
    line = listing.strip()
    assert line.startswith(token[:8]) and "报表同步" in line and "有效" in line
    assert "最近使用 20" in line  # a date, not “—”
    assert token[8:] not in listing  # never more than the prefix

    assert "已撤销" in run("token", "revoke", "zs_filler", token[:8])
    assert api(token).get("/api/v1/orgunits").status_code == 401
    assert run("token", "list", "zs_filler").strip().endswith("已撤销")
    row = AuditEvent.objects.get(action="token.revoke")
    assert row.by_system and row.details == {"prefix": token[:8], "name": "报表同步"}


@pytest.mark.parametrize(
    "args, message",
    [
        (("token", "create", "zs_filler", "--days", "0"), "令牌有效天数应在 1 到 3650 之间"),
        (("token", "revoke", "zs_filler", "cf_nope0"), "没有前缀为 cf_nope0 的未撤销令牌"),
        (("token", "list", "nobody"), "没有用户 nobody"),
    ],
)
def test_command_line_errors(fed, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_token_is_not_revoked_twice(fed):
    token = stored(fed.token("zs", "filler"))
    run("token", "revoke", "zs_filler", token.prefix)
    with pytest.raises(CommandError, match="未撤销令牌"):
        run("token", "revoke", "zs_filler", token.prefix)
    token.refresh_from_db()
    with pytest.raises(ApplicationError, match="已撤销"):
        token_revoke(token=token, actor=SYSTEM)


# --- pages -------------------------------------------------------------------------------------


def test_a_user_lists_and_revokes_their_own_tokens(fed, login, api):
    user = fed.user("zs", "viewer")
    token = fed.token("zs", "viewer")
    other = fed.token("zs", "filler")
    client = login(user)
    page = client.get("/users/me/").content.decode()
    assert stored(token).prefix in page and stored(other).prefix not in page
    assert token[8:] not in page
    for heading in ("前缀", "名称", "创建时间", "最近使用", "有效期至", "状态"):
        assert heading in page
    response = client.post(f"/users/tokens/{stored(token).pk}/revoke/", follow=True)
    assert response.redirect_chain == [("/users/me/", 302)]
    assert f"已撤销令牌 {stored(token).prefix}…" in response.content.decode()
    assert api(token).get("/api/v1/orgunits").status_code == 401
    assert AuditEvent.objects.get(action="token.revoke").actor == user


def test_an_admin_sees_and_revokes_the_tokens_of_their_subtree(fed, login, api):
    token = fed.token("zsg", "filler")
    target = fed.user("zsg", "filler")
    admin = login(fed.user("zs", "admin"))
    page = admin.get(f"/users/{target.pk}/account/")
    assert page.status_code == 200 and stored(token).prefix in page.content.decode()
    response = admin.post(f"/users/tokens/{stored(token).pk}/revoke/", follow=True)
    assert response.redirect_chain == [(f"/users/{target.pk}/account/", 302)]
    assert api(token).get("/api/v1/orgunits").status_code == 401


@pytest.mark.parametrize(
    "who, status",
    [
        (("xg", "admin"), 404),  # another district
        (("zsg", "admin"), 404),  # a unit below the token's owner
        (("zs", "filler"), 404),  # a colleague, not an admin
        (("zs", "reviewer"), 404),
        (("city", "viewer"), 404),
    ],
)
def test_others_cannot_revoke_a_token(fed, login, api, who, status):
    token = fed.token("zs", "viewer")
    response = login(fed.user(*who)).post(f"/users/tokens/{stored(token).pk}/revoke/")
    assert response.status_code == status
    assert api(token).get("/api/v1/orgunits").status_code == 200


@pytest.mark.parametrize(
    "who, status",
    [
        (("zs", "admin"), 200),
        (("city", "admin"), 200),
        (("xg", "admin"), 404),
        (("zsg", "admin"), 404),
        (("zs", "filler"), 403),
        (("zs", "reviewer"), 403),
        (("zs", "viewer"), 403),  # even their own: theirs is /users/me/
    ],
)
def test_the_user_account_page_is_for_admins_of_the_subtree(fed, login, who, status):
    target = fed.user("zs", "viewer")
    assert login(fed.user(*who)).get(f"/users/{target.pk}/account/").status_code == status


def test_the_users_page_links_to_each_account(fed, login):
    page = login(fed.user("zs", "admin")).get("/users/").content.decode()
    assert f'href="/users/{fed.user("zsg", "filler").pk}/account/"' in page
