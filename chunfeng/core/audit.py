"""The history: every service writes one audit row per change, in its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .actors import SYSTEM
from .models import AuditEvent


def audit_record(
    *, actor: Any, action: str, target: models.Model | type[models.Model], **details: Any
) -> AuditEvent:
    """``actor`` is the user who acted, or ``SYSTEM`` (stored as no user, marked ``by_system``).
    ``target`` is the object acted on, or a model class for one event about many of its rows
    (stored with an empty ``target_id``). The history is append-only: a row is never changed."""
    if actor is None:
        raise TypeError("audit_record needs an actor: a user, or SYSTEM for the system itself")
    return AuditEvent.objects.create(
        actor=None if actor is SYSTEM else actor,
        by_system=actor is SYSTEM,
        action=action,
        target_type=target._meta.label_lower,
        target_id="" if isinstance(target, type) else str(target.pk),
        details=details,
    )


def audit_for(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
