"""Logins into the history: Django's login signals, after django-axes has counted them (its
app comes first, so its receivers run first and have marked a locked-out request)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed

from .lockout import client_address
from .services import login_failed, login_succeeded


def _address(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or client_address(request)


def on_login(sender, request, user, **kwargs) -> None:
    if request is not None:
        login_succeeded(user=user, address=_address(request))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """``credentials`` come cleansed by Django (the password replaced by stars) and only the
    name is kept."""
    if request is not None:
        login_failed(
            username=str(credentials.get("username") or ""),
            address=_address(request),
            locked=bool(getattr(request, "axes_locked_out", False)),
        )


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="chunfeng.accounts.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="chunfeng.accounts.login_failed")
