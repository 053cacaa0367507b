"""The ID access log: every full view or export of a personal number, and who may read it.

Writers: one row for a household shown in full (a reveal, an audit opening), or one row per
household an export carried, with the batch or the filter in ``details`` — so an auditor can
ask "who saw this family's numbers?" as well as "what did this user export?". Readers:
auditors (viewers and admins, ``rules.audits_at_all``) over their own subtree, on the page
and through ``chunfeng id-access``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from chunfeng.core.actors import SYSTEM, user_or_none
from chunfeng.core.rules import audits_at_all
from chunfeng.orgunits.models import OrgUnit

from .models import IdAccess

PURPOSES = {
    "view": "页面查看完整号码",
    "api:view": "接口查看完整号码",
    "api:batch": "接口查看批次完整号码",
    "export:bank": "导出银行代发文件",
    "export:sign-sheet": "打印签领表",
    "export:list": "导出档案名单（完整号码）",
    "audit:history": "审计查看变更记录中的完整号码",
}


def id_access_log(
    *, user, purpose: str, household=None, count: int = 1, details: dict | None = None
) -> None:
    IdAccess.objects.create(
        user=user_or_none(user),
        household=household,
        purpose=purpose,
        count=count,
        details=details or {},
    )


LOG_BLOCK = 1000


def id_access_log_each(*, user, purpose: str, household_ids: Iterable[int], details: dict) -> int:
    """One row per household of an export (``details``: the batch or the filter it used)."""
    who = user_or_none(user)
    ids = list(dict.fromkeys(household_ids))
    for start in range(0, len(ids), LOG_BLOCK):  # rows made a block at a time: flat memory
        IdAccess.objects.bulk_create(
            IdAccess(user=who, household_id=pk, purpose=purpose, details=details)
            for pk in ids[start : start + LOG_BLOCK]
        )
    return len(ids)


def id_access_visible_to(user) -> QuerySet[IdAccess]:
    """The rows an auditor may read: those about a household of their subtree, and those
    without one (older exports) made by a user of their subtree. Nothing for other roles."""
    rows = IdAccess.objects.select_related("user__unit", "household__unit")
    if user is SYSTEM:
        return rows
    if not audits_at_all(user):
        return rows.none()
    path = user.unit.path
    return rows.filter(
        Q(household__unit__path__startswith=path)
        | Q(household__isnull=True, user__unit__path__startswith=path)
    )


def id_access_of(
    user,
    *,
    unit: OrgUnit | None = None,
    username: str = "",
    household: int | None = None,
    purpose: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[IdAccess]:
    """The auditor's rows by the page's and the command's filters, newest first: the unit
    (with its subtree) of the household, or of the user for rows without one; the user's
    name; one household; the purpose; the days from ``since`` to ``until`` (inclusive)."""
    rows = id_access_visible_to(user)
    if unit is not None:
        rows = rows.filter(
            Q(household__unit__path__startswith=unit.path)
            | Q(household__isnull=True, user__unit__path__startswith=unit.path)
        )
    if username:
        rows = rows.filter(user__username=username)
    if household is not None:
        rows = rows.filter(household_id=household)
    if purpose:
        rows = rows.filter(purpose=purpose)
    if since is not None:
        rows = rows.filter(at__gte=_day_start(since))
    if until is not None:
        rows = rows.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    return rows.order_by("-at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))
