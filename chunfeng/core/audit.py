from __future__ import annotations

from django.db import models

from .models import AuditEvent


def audit_record(*, actor, action: str, target: models.Model, **details) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        details=details,
    )


def audit_for(target: models.Model):
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
