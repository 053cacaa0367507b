from django.conf import settings
from django.db import models
from django.utils.translation import gettext


class AuditEvent(models.Model):
    """Who did what to which object, with old → new details. Written by every service.
    Append-only: database triggers (migration 0003) refuse to change or delete a row."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    by_system = models.BooleanField(default=False)  # the command line, the demo, a scheduled job
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"

    @property
    def who(self) -> str:
        """The name the history shows: the user, or 系统 for the system itself."""
        if self.by_system:
            return gettext("系统")
        return str(self.actor) if self.actor_id else "—"
