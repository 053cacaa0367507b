"""Users, passwords, logins and API tokens: each change audited (never a password)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import ANONYMOUS, SYSTEM
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_manage, can_manage_account, can_reset_account

from . import lockout
from .models import ApiToken, Role, User
from .passwords import password_problems, temporary_password

MAX_TOKEN_DAYS = 3650


def _check_password(password: str, user: User, field: str = "password") -> None:
    problems = password_problems(password, user)
    if problems:
        message = "密码不符合要求：" + "".join(problems)
        raise ApplicationError(
            message, code="bad_password", details=[{"field": field, "message": message}]
        )


@transaction.atomic
def user_create(
    *,
    username: str,
    unit,
    role: str,
    password: str,
    actor=SYSTEM,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    if not can_manage(actor, unit):
        raise NotPermitted(_("单位 %(code)s 不在您的管辖范围内") % {"code": unit.code})
    if role not in Role.values:
        raise ApplicationError(
            _("角色“%(role)s”无效，应为 %(items)s")
            % {"role": role, "items": "/".join(Role.values)},
            code="bad_role",
        )
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            _("用户名 %(username)s 已存在") % {"username": username}, code="duplicate_user"
        )
    if not unit.active:
        raise ApplicationError(_("单位 %(code)s 已撤销") % {"code": unit.code}, code="retired_unit")
    user = User(
        username=username, unit=unit, role=role, full_name=full_name, phone=phone, email=email
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", target=user, unit=unit.code, role=role)
    return user


@transaction.atomic
def user_update(*, user: User, actor, role: str | None = None, active: bool | None = None) -> User:
    if user.unit_id is None or not can_manage(actor, user.unit):
        raise NotPermitted(_("用户 %(username)s 不在您的管辖范围内") % {"username": user.username})
    changes: dict[str, list] = {}
    if role is not None and role != user.role:
        if user.pk == getattr(actor, "pk", None):
            raise ApplicationError(_("不能修改自己的角色"), code="self_role")
        if role not in Role.values:
            raise ApplicationError(_("角色“%(role)s”无效") % {"role": role}, code="bad_role")
        changes["role"] = [user.role, role]
        user.role = role
    if active is not None and active != user.is_active:
        if user.pk == getattr(actor, "pk", None) and not active:
            raise ApplicationError(_("不能停用自己的账号"), code="self_disable")
        changes["is_active"] = [user.is_active, active]
        user.is_active = active
    if changes:
        user.save(update_fields=[f for f in ("role", "is_active") if f in changes])
        audit_record(actor=actor, action="user.update", target=user, changes=changes)
    return user


# --- passwords -------------------------------------------------------------------------------


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str, actor) -> User:
    """Someone changes their own password: the old one, then a new one the policy accepts."""
    if getattr(actor, "pk", None) != user.pk:
        raise NotPermitted(_("只能修改自己的密码"))
    if not user.check_password(old_password):
        raise ApplicationError(
            _("原密码不正确"), code="wrong_password", details=[{"field": "old_password"}]
        )
    if new_password == old_password:
        raise ApplicationError(
            _("新密码不能与原密码相同"), code="same_password", details=[{"field": "new_password"}]
        )
    _check_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action="user.password_change", target=user)
    return user


@transaction.atomic
def user_password_reset(*, user: User, actor) -> str:
    """An admin gives ``user`` a temporary password (returned, to be shown once), which they
    must change at their next login; the account is unlocked as well."""
    if not can_reset_account(actor, user):
        raise NotPermitted(_("不能重置用户 %(username)s 的密码") % {"username": user.username})
    password = temporary_password()
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    forgotten = lockout.account_forget(user.username)
    audit_record(actor=actor, action="user.password_reset", target=user, unlocked=bool(forgotten))
    return password


# --- logins ----------------------------------------------------------------------------------


@transaction.atomic
def user_unlock(*, user: User, actor) -> bool:
    """Forget ``user``'s failed logins, so that the account is no longer locked. Whether it was."""
    if not can_reset_account(actor, user):
        raise NotPermitted(_("不能为用户 %(username)s 解锁") % {"username": user.username})
    was_locked = user.username in lockout.locked_usernames([user.username])
    lockout.account_forget(user.username)
    audit_record(actor=actor, action="user.unlock", target=user, was_locked=was_locked)
    return was_locked


def login_succeeded(*, user: User, address: str | None) -> None:
    audit_record(actor=user, action="login.succeeded", target=user, address=address)


def login_failed(*, username: str, address: str | None, locked: bool) -> None:
    """A failed login (wrong password, unknown name, or refused by a lock), recorded under the
    user when the name is a user's; the password is never recorded."""
    user = User.objects.filter(username=username).first()
    audit_record(
        actor=ANONYMOUS,
        action="login.failed",
        target=user,
        username=username[:150],
        address=address,
        locked=locked,
    )


# --- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, user: User, name: str = "", days: int | None = None, actor=SYSTEM) -> str:
    """Create a token valid for ``days`` (``CHUNFENG_TOKEN_DAYS`` by default) and return it; it
    cannot be recovered later."""
    if not can_manage_account(actor, user):
        raise NotPermitted(_("不能为用户 %(username)s 创建令牌") % {"username": user.username})
    days = settings.CHUNFENG_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ApplicationError(
            _("令牌有效天数应在 1 到 %(days)s 之间") % {"days": MAX_TOKEN_DAYS},
            code="bad_days",
            details=[{"field": "days"}],
        )
    token = "cf_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=days)
    ApiToken.objects.create(
        user=user, name=name, digest=ApiToken.hash(token), prefix=token[:8], expires_at=expires_at
    )
    audit_record(
        actor=actor, action="token.create", target=user, name=name, prefix=token[:8], days=days
    )
    return token


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if not can_manage_account(actor, token.user):
        raise NotPermitted(
            _("不能撤销用户 %(username)s 的令牌") % {"username": token.user.username}
        )
    if token.revoked:
        raise ApplicationError(
            _("令牌 %(prefix)s… 已撤销") % {"prefix": token.prefix}, code="token_revoked"
        )
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor, action="token.revoke", target=token.user, prefix=token.prefix, name=token.name
    )
    return token


def token_authenticate(token: str) -> User | None:
    """The active user of an unrevoked, unexpired token, whose last use is noted; else None.
    A locked account's tokens keep working: the lock guards the password, and a token is
    not guessed (revoke it, or deactivate the user, to stop it)."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(
            digest=ApiToken.hash(token), revoked=False, expires_at__gt=now, user__is_active=True
        )
        .first()
    )
    if found is None:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
