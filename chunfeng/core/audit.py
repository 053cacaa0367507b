"""The history: every service writes one audit row per change, in its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .actors import ANONYMOUS, SYSTEM
from .models import AuditEvent


def audit_record(
    *, actor: Any, action: str, target: models.Model | type[models.Model] | None, **details: Any
) -> AuditEvent:
    """``actor`` is the user who acted, ``SYSTEM`` (stored as no user, marked ``by_system``) or
    ``ANONYMOUS`` (someone not signed in: stored as no user). ``target`` is the object acted on,
    a model class for one event about many of its rows (stored with an empty ``target_id``), or
    None when the event concerns nothing stored (a failed login under a name no user has). The
    history is append-only: a row is never changed."""
    if actor is None:
        raise TypeError("audit_record needs an actor: a user, or SYSTEM for the system itself")
    return AuditEvent.objects.create(
        actor=None if actor is SYSTEM or actor is ANONYMOUS else actor,
        by_system=actor is SYSTEM,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id="" if target is None or isinstance(target, type) else str(target.pk),
        details=details,
    )


def audit_for(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
