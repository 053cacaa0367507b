"""Sign-in protection, on django-axes (configured in ``config/settings.py``).

django-axes counts failed logins per user name and per client address (its ``AccessAttempt``
rows, one per name, address and browser) and refuses a login while they say it is locked.
It knows only one threshold, the same for each; Chunfeng wants two:

* an **account** (a user name as typed, whether or not a user has it, so that the answer never
  tells whether a name exists) is locked after ``CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT`` failures;
* a **client address** only after ``CHUNFENG_LOGIN_FAILURES_PER_ADDRESS`` (a whole district
  office may sit behind one address),

both counted over the last ``CHUNFENG_LOGIN_LOCK_MINUTES``. ``LockoutHandler`` answers axes'
one question (“how many failures?”) with the account's count, or with the account threshold when
the address is over its own. A lock ends when enough of its failures are older than the period;
a failure during a lock counts too, so whoever keeps guessing keeps it locked. A successful login
forgets the account's failures (not the address's). An admin unlocks an account with
``services.user_unlock`` (the users page, ``chunfeng user unlock NAME``); an address with
``chunfeng axes_reset_ip ADDRESS``.

API tokens are not passwords and are not touched by a lock.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

ACCOUNT = "account"
ADDRESS = "address"


def lock_period(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.CHUNFENG_LOGIN_LOCK_MINUTES)


def failure_limit(request: HttpRequest | None = None, credentials: dict | None = None) -> int:
    return settings.CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the one the trusted proxy put in ``CHUNFENG_PROXY_HEADER`` (the
    ``CHUNFENG_PROXY_COUNT``-th from the right, each proxy appending the address it saw), else
    the connection's. Without that setting the header is ignored: anyone can send it."""
    header = settings.CHUNFENG_PROXY_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        hops = [hop for hop in value.split(",") if hop.strip()]
        count = max(settings.CHUNFENG_PROXY_COUNT, 1)
        if len(hops) >= count and (found := _valid(hops[-count])):
            return found
    return _valid(request.META.get("REMOTE_ADDR"))


@dataclass(frozen=True)
class Lock:
    kind: str  # ACCOUNT or ADDRESS
    until: dt.datetime

    @property
    def minutes(self) -> int:
        """Whole minutes left, at least one."""
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))


def _until(attempts: Iterable[tuple[dt.datetime, int]], limit: int) -> dt.datetime | None:
    """When the lock of these ``(last time, failures)`` rows ends, None if they do not lock:
    the newest rows that reach ``limit`` failures together keep it until the oldest of them
    leaves the period."""
    total = 0
    for when, failures in sorted(attempts, reverse=True):
        total += failures
        if total >= limit:
            return when + lock_period()
    return None


def _recent(**match) -> list[tuple[dt.datetime, int]]:
    since = timezone.now() - lock_period()
    return list(
        AccessAttempt.objects.filter(attempt_time__gte=since, **match).values_list(
            "attempt_time", "failures_since_start"
        )
    )


def lock_of(*, username: str | None, address: str | None) -> Lock | None:
    """The lock that refuses a login under ``username`` from ``address`` now, if any."""
    if username is not None:
        until = _until(_recent(username=username), settings.CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT)
        if until is not None:
            return Lock(ACCOUNT, until)
    if address is not None:
        until = _until(_recent(ip_address=address), settings.CHUNFENG_LOGIN_FAILURES_PER_ADDRESS)
        if until is not None:
            return Lock(ADDRESS, until)
    return None


def locked_usernames(usernames: Iterable[str]) -> dict[str, Lock]:
    """The locked accounts among ``usernames`` (for the users page), with their locks."""
    rows: dict[str, list[tuple[dt.datetime, int]]] = defaultdict(list)
    since = timezone.now() - lock_period()
    found = AccessAttempt.objects.filter(attempt_time__gte=since, username__in=list(usernames))
    for name, when, failures in found.values_list(
        "username", "attempt_time", "failures_since_start"
    ):
        rows[name].append((when, failures))
    limit = settings.CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT
    return {
        name: Lock(ACCOUNT, until)
        for name, attempts in rows.items()
        if (until := _until(attempts, limit)) is not None
    }


def account_forget(username: str) -> int:
    """Forget the failed logins under ``username`` (unlocks the account); how many rows went.
    Called by ``services.user_unlock``, which audits it, and after a successful login."""
    deleted, _rows = AccessAttempt.objects.filter(username=username).delete()
    return deleted


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with Chunfeng's two thresholds (module docstring)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        lock = lock_of(username=username, address=request.axes_ip_address)
        if lock is not None:
            return failure_limit()
        recent = _recent(username=username) if username is not None else []
        return sum(failures for _when, failures in recent)

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        account_forget(user.get_username())


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The login page again, saying that the account (or the address) is locked and for how
    long — in the same words whether or not a user has that name."""
    username = get_client_username(request, credentials)
    lock = lock_of(username=username, address=getattr(request, "axes_ip_address", None))
    minutes = lock.minutes if lock else settings.CHUNFENG_LOGIN_LOCK_MINUTES
    if lock is not None and lock.kind == ADDRESS:
        message = _(
            "从您所在网络地址登录失败的次数过多，该地址已暂停登录，请 %(minutes)d 分钟后再试。"
        )
    else:
        message = _(
            "登录失败次数过多，该账号已锁定，请 %(minutes)d 分钟后再试，"
            "或请本单位或上级单位的管理员解锁。"
        )
    context = {"locked": message % {"minutes": minutes}, "username": username or ""}
    return render(request, "registration/login.html", context, status=429)
