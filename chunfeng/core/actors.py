"""Who acts. A person acts as their ``User``; the command line, the demo loader and scheduled
jobs act as ``SYSTEM`` — explicitly, never as ``None`` — and the history says so. Someone who
is not signed in (a failed login) is ``ANONYMOUS``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


class SystemActor:
    """The system itself. It may do whatever a service allows any role to do, belongs to no
    unit, and is stored as no user (audit rows mark it with ``by_system``)."""

    pk = None
    id = None
    unit_id = None
    unit = None
    role = "system"
    username = "system"
    is_active = True
    is_authenticated = False
    is_system = True

    def __str__(self) -> str:
        return gettext("系统")

    def __repr__(self) -> str:
        return "SYSTEM"

    def __reduce__(self) -> str:  # one instance, also after pickling
        return "SYSTEM"


SYSTEM = SystemActor()


class AnonymousActor:
    """Someone not signed in, e.g. whoever typed a wrong password. Passes no rule, belongs to no
    unit, and is stored as no user and not as the system (the history shows “—”)."""

    pk = None
    id = None
    unit_id = None
    unit = None
    role = None
    username = ""
    is_active = False
    is_authenticated = False
    is_system = False

    def __str__(self) -> str:
        return "—"

    def __repr__(self) -> str:
        return "ANONYMOUS"

    def __reduce__(self) -> str:
        return "ANONYMOUS"


ANONYMOUS = AnonymousActor()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def user_or_none(actor: Any) -> Any:
    """The user to store in a ``created_by``/``updated_by`` column: None for the system."""
    if actor is None:
        raise TypeError("actor is required: pass a user, or SYSTEM for the system itself")
    return None if actor is SYSTEM else actor
