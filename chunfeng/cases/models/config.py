"""What the federation configures: time limits per request type and difficulty, and the days
the statutory calendar package does not know (or gets wrong)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Difficulty, RequestType


class TimeLimit(models.Model):
    """办理时限 in working days; an empty ``request_type`` applies to every type without its
    own row. Without any row, the settings' defaults apply (一般 3, 难点 10, 特别复杂 30)."""

    request_type = models.CharField(
        _("诉求类型"), max_length=16, choices=RequestType.choices, blank=True
    )
    difficulty = models.CharField(_("难度"), max_length=8, choices=Difficulty.choices)
    workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"))

    class Meta:
        ordering = ["request_type", "difficulty"]
        constraints = [
            models.UniqueConstraint(fields=["request_type", "difficulty"], name="one_limit"),
            models.CheckConstraint(condition=models.Q(workdays__gte=1), name="limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.request_type or '*'} {self.difficulty}: {self.workdays}"


class CalendarDay(models.Model):
    """A day whose status the administrators set: a holiday (放假) or a working day (调休上班).
    It wins over the ``chinese-calendar`` package, which knows no year after its release."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("说明"), max_length=64, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'班' if self.is_workday else '休'}"


class PublicAttempt(models.Model):
    """A use of the workers' public page, by a keyed hash of the address: the rate limit."""

    address = models.CharField(max_length=40, db_index=True)
    action = models.CharField(max_length=16)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.action} {self.at}"
