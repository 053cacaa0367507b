from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from chunfeng.core.audit import audit_for
from chunfeng.core.models import AuditEvent
from chunfeng.core.rules import can_manage_account
from chunfeng.orgunits.selectors import units_visible_to

from .lockout import Lock, locked_usernames
from .models import ApiToken, User

LOGIN_ACTIONS = ("login.succeeded", "login.failed")


def users_visible_to(user) -> QuerySet[User]:
    """The users of the units in ``user``'s subtree."""
    return (
        User.objects.filter(unit__in=units_visible_to(user))
        .select_related("unit")
        .order_by("unit__path", "username")
    )


def user_for(actor, pk: int) -> User:
    """A user of ``actor``'s subtree; 404 for any other."""
    return get_object_or_404(users_visible_to(actor), pk=pk)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """``user``'s API tokens, newest first (revoked and expired ones too, marked as such)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_for(actor, pk: int) -> ApiToken:
    """A token of ``actor`` themselves or of a user an admin ``actor`` manages; 404 otherwise."""
    token = get_object_or_404(ApiToken.objects.select_related("user", "user__unit"), pk=pk)
    if not can_manage_account(actor, token.user):
        raise Http404
    return token


def recent_logins(user: User, limit: int = 10) -> QuerySet[AuditEvent]:
    """The latest successful and failed logins under ``user``'s name, from the history."""
    return audit_for(user).filter(action__in=LOGIN_ACTIONS)[:limit]


def users_with_locks(actor) -> list[User]:
    """``users_visible_to(actor)``, each with ``.lock``: its account's lock, or None."""
    users = list(users_visible_to(actor))
    locks = locked_usernames(u.username for u in users)
    for user in users:
        user.lock = locks.get(user.username)  # type: ignore[attr-defined]
    return users


def lock_on(user: User) -> Lock | None:
    return locked_usernames([user.username]).get(user.username)
