from django.db import models


class FormVersion(models.Model):
    """One immutable version of a form definition, stored as loaded from its YAML file.
    Reports point to the exact version they were filled against. ``digest`` covers the whole
    source except the AMENDABLE keys, which the file may still change in place."""

    # ``derived`` says how a report is compared with the real-name records, not what users
    # filled in: amending it does not change what the reports filled against the version mean.
    # ``rollup`` says how a roll-up adds the branches below a unit, not what a unit filled in.
    AMENDABLE = ("derived", "rollup")

    code = models.CharField(max_length=16)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=128)
    attachment = models.CharField(max_length=32, blank=True)
    source = models.JSONField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="formversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attachment} {self.title}（{self.code} v{self.version}）"

    @property
    def amendable(self) -> dict:
        return {key: self.source.get(key) for key in self.AMENDABLE}

    @property
    def definition(self):
        from .selectors import definition_of  # the selectors import this module's model

        return definition_of(self)
