"""Users and API tokens: creation and changes, each audited."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chunfeng.core.actors import SYSTEM
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_manage

from .models import ApiToken, Role, User


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
        raise NotPermitted(f"单位 {unit.code} 不在您的管辖范围内")
    if role not in Role.values:
        raise ApplicationError(f"角色“{role}”无效，应为 {'/'.join(Role.values)}", code="bad_role")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"用户名 {username} 已存在", code="duplicate_user")
    if not unit.active:
        raise ApplicationError(f"单位 {unit.code} 已撤销", code="retired_unit")
    user = User(
        username=username, unit=unit, role=role, full_name=full_name, phone=phone, email=email
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            "密码不符合要求：" + "；".join(exc.messages), code="bad_password"
        ) from exc
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", target=user, unit=unit.code, role=role)
    return user


@transaction.atomic
def user_update(*, user: User, actor, role: str | None = None, active: bool | None = None) -> User:
    if user.unit_id is None or not can_manage(actor, user.unit):
        raise NotPermitted(f"用户 {user.username} 不在您的管辖范围内")
    changes: dict[str, list] = {}
    if role is not None and role != user.role:
        if user.pk == getattr(actor, "pk", None):
            raise ApplicationError("不能修改自己的角色", code="self_role")
        if role not in Role.values:
            raise ApplicationError(f"角色“{role}”无效", code="bad_role")
        changes["role"] = [user.role, role]
        user.role = role
    if active is not None and active != user.is_active:
        if user.pk == getattr(actor, "pk", None) and not active:
            raise ApplicationError("不能停用自己的账号", code="self_disable")
        changes["is_active"] = [user.is_active, active]
        user.is_active = active
    if changes:
        user.save(update_fields=[f for f in ("role", "is_active") if f in changes])
        audit_record(actor=actor, action="user.update", target=user, changes=changes)
    return user


@transaction.atomic
def token_create(*, user: User, name: str = "", actor=SYSTEM) -> str:
    """Create a token and return it; it cannot be recovered later."""
    token = "cf_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.hash(token), prefix=token[:8])
    audit_record(actor=actor, action="token.create", target=user, name=name)
    return token


def token_authenticate(token: str) -> User | None:
    found = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(digest=ApiToken.hash(token), revoked=False, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
