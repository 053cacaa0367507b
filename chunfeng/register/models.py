from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chunfeng.core.indexes import EqualityIndex
from chunfeng.core.personal import search_token
from chunfeng.core.versions import Versioned


class Category(models.TextChoices):
    """附件1 item 03: B below the minimum-living line; C slightly above it with a cause;
    D accident, serious illness or disaster."""

    B = "B", _("低于当地最低生活保障线")
    C = "C", _("略高于低保标准但因故生活困难")
    D = "D", _("因意外事件、重大疾病、自然灾害等致困")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("在档")
    ESCAPED = "escaped", _("已脱困")


CAUSES = {
    "illness": "大病", "schooling": "子女上学", "unemployment": "失业", "disability": "残疾",
    "disaster": "灾害", "accident": "意外事件", "low_income": "收入低", "other": "其他",
}  # fmt: skip


class Household(Versioned):
    """A hardship worker's family file (困难职工档案), kept by one union. ``version`` moves on
    with every saved edit (contract (c)); ``id_token`` is the search token of the ID number
    (contract (b)), so a search by number needs the number in no URL or log."""

    # (the index of ``unit`` is the first column of (unit, status) below)
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="households", db_index=False
    )
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    id_token = models.CharField(max_length=40, blank=True, editable=False)
    gender = models.CharField(max_length=1)
    birth_date = models.DateField()
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    employer = models.CharField(_("工作单位"), max_length=128, blank=True)
    family_size = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    income = models.DecimalField(
        _("家庭月人均收入（元）"), max_digits=12, decimal_places=2, default=0
    )
    category = models.CharField(_("困难类别"), max_length=1, choices=Category.choices)
    is_migrant = models.BooleanField(_("农民工"), default=False)
    is_model_worker = models.BooleanField(_("劳模"), default=False)
    is_laid_off = models.BooleanField(_("下岗失业"), default=False)
    causes = models.JSONField(_("致困原因"), default=list, blank=True)
    bank_account = models.CharField(_("银行卡号"), max_length=32, blank=True)
    status = models.CharField(
        max_length=8, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    escaped_on = models.DateField(_("脱困日期"), null=True, blank=True)
    escaped_reason = models.CharField(_("脱困原因"), max_length=200, blank=True)
    # set when the personal data were replaced, the retention period after 脱困 having passed
    # (`chunfeng anonymise-households`): what the statistics need stays
    anonymised_on = models.DateField(_("匿名化日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # not indexed: nothing looks households up by who made them, and users are deactivated,
    # not deleted (a deletion would scan the table to clear the field)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    # Set on a household just edited (``household_update``): the changes it asked a reviewer for.
    asked: list[PendingChange]

    class Meta:
        # Every index is paid for by each household written (an import of 200,000 at a time):
        # plain B-trees, without the second ``varchar_pattern_ops`` index PostgreSQL gets for a
        # ``db_index`` text field, which serves only ``LIKE 'prefix%'`` (never asked of these),
        # and the search token's looked up by equality only (a hash index on PostgreSQL).
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["name", "birth_date"]),
            models.Index(fields=["id_number"], name="household_id_number"),
            EqualityIndex(fields=["id_token"], name="household_id_token"),
            models.Index(fields=["phone"], name="household_phone"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active") | Q(escaped_on__isnull=False),
                name="household_escaped_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_token = search_token("id", self.id_number) if self.id_number else ""
        fields = kwargs.get("update_fields")
        if fields is not None and "id_number" in fields:
            kwargs["update_fields"] = {*fields, "id_token"}
        super().save(*args, **kwargs)

    @property
    def is_new_generation_migrant(self) -> bool:
        """新生代农民工: a migrant worker born in 1980 or later."""
        return self.is_migrant and self.birth_date.year >= 1980


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    relation = models.CharField(_("与户主关系"), max_length=16, blank=True)

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """一户一档: each ID number on at most one active file, as the worker or as a member.
    The conditional unique constraint keeps it true in the database."""

    id_number = models.CharField(max_length=18)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="persons")
    is_worker = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(active=True), name="person_one_active_file"
            )
        ]

    def __str__(self) -> str:
        return self.id_number


class IdAccess(models.Model):
    """Every full view or export of a personal number: one row per household shown (an export
    of a batch writes a row for each household it carried, with the batch in ``details``), or
    one row with a ``count`` (the rows written before exports named their households)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL)
    purpose = models.CharField(max_length=64)  # view, export:bank, audit:history …
    count = models.PositiveIntegerField(default=1)
    details = models.JSONField(default=dict, blank=True)  # the batch, the filter, the event
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.purpose}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class ReviewedField(models.TextChoices):
    """The fields whose change waits for a reviewer: redirecting aid to another card, or the
    file to another person, is the classic fraud."""

    BANK_ACCOUNT = "bank_account", _("银行卡号")
    ID_NUMBER = "id_number", _("身份证号码")


class PendingChange(models.Model):
    """A change of a household's bank account or ID number asked by a filler or an admin; it
    takes effect when a reviewer of the keeping union or above approves it (four eyes). The
    new number is kept sealed (``chunfeng.core.sealed``), shown masked."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=16, choices=ReviewedField.choices)
    masked = models.CharField(max_length=40)  # the new number as every page shows it
    sealed = models.TextField()  # {"old": …, "new": …}, encrypted
    status = models.CharField(
        max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "field"],
                condition=Q(status="pending"),
                name="one_pending_change_per_field",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.field} → {self.masked}"
