"""A 12351 case (工单): one worker's request, the union that handles it, its clock, its log and
the help that followed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chunfeng.core.versions import Versioned

from .choices import (
    Category,
    Difficulty,
    EntryKind,
    ExtensionStatus,
    Outcome,
    RequestType,
    Satisfaction,
    Source,
    Status,
)

_USER = settings.AUTH_USER_MODEL


class Case(Versioned):
    """Several people edit a case (the taker, the handlers, the supervisors): it is versioned
    (contract c). The caller's phone and ID number are kept with their search tokens, so that
    possible duplicates are found without a clear number in a query string or a log."""

    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    intake_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="cases_taken"
    )
    taken_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # the caller
    caller_name = models.CharField(_("来电人姓名"), max_length=64)
    caller_phone = models.CharField(_("联系电话"), max_length=32)
    phone_token = models.CharField(max_length=40)
    caller_id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    id_token = models.CharField(max_length=40, blank=True)
    caller_birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    caller_is_migrant = models.BooleanField(_("农民工"), default=False)
    # 新生代农民工 (a migrant born 1980 or later): None when the birth year is not known
    caller_new_generation = models.BooleanField(null=True, editable=False)
    # the matter
    employer = models.CharField(_("用人单位"), max_length=128, blank=True)
    employer_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region = models.CharField(_("事发地区划代码"), max_length=12, blank=True)
    request_type = models.CharField(_("诉求类型"), max_length=16, choices=RequestType.choices)
    category = models.CharField(_("诉求类别"), max_length=20, choices=Category.choices)
    is_rights = models.BooleanField(_("维权案件"), default=False, editable=False)
    difficulty = models.CharField(
        _("难度"), max_length=8, choices=Difficulty.choices, default=Difficulty.GENERAL
    )
    description = models.TextField(_("诉求内容"))
    workers = models.PositiveIntegerField(_("涉及职工人数"), default=1)
    migrants = models.PositiveIntegerField(_("其中农民工人数"), default=0)
    involves_migrants = models.BooleanField(default=False, editable=False)
    amount_involved = models.DecimalField(
        _("涉及金额（元）"), max_digits=14, decimal_places=2, default=0
    )
    cross_region = models.BooleanField(_("跨地区"), default=False)
    # who handles it, and its clock
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("承办单位"),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ack_due = models.DateField(_("签收期限"))
    due = models.DateField(_("办理期限"), db_index=True)
    extended_days = models.PositiveSmallIntegerField(default=0)
    reminded_for = models.DateField(null=True, blank=True)  # the deadline last reminded of
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # help that followed
    household = models.ForeignKey(
        "register.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # 建档 goes through an application (filed by the handler for the worker); its approval
    # opens the file, read through ``application.household`` (help.filed_household)
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # closing
    outcome = models.CharField(_("办理结果"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=500, blank=True)
    recovered = models.DecimalField(
        _("为职工追回金额（元）"), max_digits=14, decimal_places=2, default=0
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by_unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_time = models.BooleanField(null=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    reopened = models.PositiveSmallIntegerField(default=0)
    duplicates = models.ManyToManyField("self", blank=True, symmetrical=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        # the tokens looked up by equality only: B-trees without the ``LIKE`` index PostgreSQL
        # adds for ``db_index`` (many cases share a caller's phone, or have no ID: no hash)
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "due"]),
            models.Index(fields=["phone_token"], name="case_phone_token"),
            models.Index(fields=["id_token"], name="case_id_token"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(workers__gte=1), name="case_has_workers"),
            models.CheckConstraint(
                condition=Q(migrants__lte=models.F("workers")), name="case_migrants_among_workers"
            ),
            models.CheckConstraint(condition=Q(recovered__gte=0), name="case_recovered_positive"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class CaseCounter(models.Model):
    """The last number given in a year: ``12351-2012-000123``."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseEntry(models.Model):
    """One line of the case's log: what was done, on which day, by whom (no user: the system)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    on = models.DateField(_("日期"))
    text = models.TextField(_("内容"), blank=True)
    by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class Extension(models.Model):
    """延期: more working days, asked with a reason, granted by the supervising union."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延期工作日"))
    reason = models.CharField(_("延期理由"), max_length=500)
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    asked_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} +{self.days}"


class ReturnVisit(models.Model):
    """回访: the worker asked, after closing, whether the matter was settled."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="return_visits")
    satisfaction = models.CharField(max_length=12, choices=Satisfaction.choices)
    note = models.CharField(_("回访记录"), max_length=500, blank=True)
    on = models.DateField(_("回访日期"))
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_satisfaction_display()}"


class CaseAid(models.Model):
    """A real-name payment made because of the case (the line lives in its batch)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="aid")
    line = models.OneToOneField(
        "funds.PaymentLine", on_delete=models.PROTECT, related_name="case_aid"
    )

    def __str__(self) -> str:
        return f"{self.case} {self.line}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name
