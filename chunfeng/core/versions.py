"""Contract (c): no edit is silently lost.

Every record that two people can edit carries a ``version`` (``Versioned``). Whoever shows it
for editing sends the version it read — a hidden field on a page, the ``ETag`` of an API answer
that the client returns in ``If-Match`` — and the write sends it back. ``save_versioned`` writes
only when the stored version is still the one read (one conditional UPDATE, so two writers can
never both win) and moves it on; otherwise it raises ``Stale``, an ``ApplicationError`` answered
with 409 that says what changed since. A write that sends no version (an older API client) is
applied as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from .errors import ApplicationError


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Stale(ApplicationError):
    """The record changed since the writer read it. ``details`` name what changed, with the
    stored value, so the user can see the other person's edit before deciding."""

    status = 409

    def __init__(self, message: str, *, details: list | None = None, current: int = 0):
        super().__init__(message, code="stale", details=details or [])
        self.current = current


def etag(version: int) -> str:
    return f'"{version}"'


def version_from(raw: Any) -> int | None:
    """The version a writer read: ``3``, ``"3"``, an ETag ``"\\"3\\""`` or ``W/"3"``; None when
    none was sent (or it cannot be a version)."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    match = re.fullmatch(r'\s*(?:W/)?"?(\d{1,9})"?\s*', str(raw))
    return int(match.group(1)) if match else None


def check_version(instance: Versioned, expected: int | None, changed: Iterable[dict] = ()) -> None:
    """Refuse a write based on an older version of ``instance`` (as freshly read, under a row
    lock when the caller holds one); ``changed`` lists what differs, for the message."""
    if expected is None or expected == instance.version:
        return
    details = list(changed)
    what = "、".join(str(d.get("field")) for d in details if d.get("field"))
    raise Stale(
        (
            _(
                "保存失败：您打开之后，别人已修改并保存了这条记录（%(fields)s）。"
                "请查看对方的修改后再保存，您的修改没有覆盖对方的数据。"
            )
            % {"fields": what}
            if what
            else _(
                "保存失败：您打开之后，别人已修改并保存了这条记录。"
                "请查看对方的修改后再保存，您的修改没有覆盖对方的数据。"
            )
        ),
        details=details,
        current=instance.version,
    )


def save_versioned(instance: Versioned, expected: int | None, fields: list[str]) -> None:
    """Save ``fields`` of ``instance`` only if its stored version is still ``expected`` (any
    version when None), moving the version on; ``Stale`` otherwise."""
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    values = {name: getattr(instance, name) for name in fields}
    if not rows.update(version=F("version") + 1, **values):
        current = model._base_manager.filter(pk=instance.pk).values_list("version", flat=True)
        raise Stale(
            _("保存失败：您打开之后，别人已修改并保存了这条记录。请刷新后再保存。"),
            current=current.first() or 0,
        )
    instance.refresh_from_db(fields=["version"])
