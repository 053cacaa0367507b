"""Hardship applications as the national 全国工会帮扶工作管理系统 keeps them: the standards per
region and year (低保标准, the margin of category C), the configurable causes, the application
with its family, income, documents and steps, and the state of each household file over time
(its review date and the category it had on each day: ``FilePeriod``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chunfeng.core.personal import search_token
from chunfeng.core.versions import Versioned
from chunfeng.register.models import Category


class Standard(models.Model):
    """低保标准 of a region (district code, or a city's code ending in 00) from a date on: the
    line in 元 per person per month and the margin of category C (C: per-capita income from the
    line up to ``c_margin`` × the line). ``source`` says where the figure comes from."""

    region_code = models.CharField(_("区划代码"), max_length=6, db_index=True)
    region_name = models.CharField(_("地区"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))
    low_line = models.DecimalField(_("低保标准（元/人/月）"), max_digits=8, decimal_places=2)
    c_margin = models.DecimalField(_("低保边缘倍数"), max_digits=4, decimal_places=2, default=1.5)
    effective_from = models.DateField(_("执行日期"))
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    set_by = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "effective_from"], name="one_standard_per_region_date"
            ),
            models.CheckConstraint(condition=Q(low_line__gt=0), name="standard_line_positive"),
            models.CheckConstraint(condition=Q(c_margin__gte=1), name="standard_margin_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.region_name} {self.year} {self.low_line}"


class Cause(models.Model):
    """致困原因 (configuration): the codes are those the register's files keep."""

    code = models.SlugField(max_length=32, unique=True)
    label = models.CharField(_("致困原因"), max_length=32)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待初审")
    CHECKED = "checked", _("待入户调查")
    VISITED = "visited", _("待上级审核")
    REVIEWED = "reviewed", _("待经济状况核对")
    VERIFIED = "verified", _("待公示")
    NOTICE = "notice", _("公示中")
    APPROVED = "approved", _("已建档")
    RETURNED = "returned", _("已退回")


class Source(models.TextChoices):
    STAFF = "staff", _("基层工会代为申请")
    PUBLIC = "public", _("职工网上申请")
    IMPORT = "import", _("名单导入")


class Application(Versioned):
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    returned_from = models.CharField(max_length=16, choices=Status.choices, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.STAFF)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    id_token = models.CharField(max_length=40, blank=True, editable=False)  # no look-up: no index
    gender = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    region_code = models.CharField(_("所在区（县）代码"), max_length=6)
    street = models.CharField(_("街道（乡镇）"), max_length=64, blank=True)
    address = models.CharField(_("详细地址"), max_length=200)
    employer = models.CharField(_("工作单位"), max_length=128, blank=True)
    employer_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    post = models.CharField(_("岗位"), max_length=64, blank=True)
    family_size = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    income_items = models.JSONField(_("家庭月收入"), default=list, blank=True)
    income_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    per_capita = models.DecimalField(
        _("家庭月人均收入（元）"), max_digits=12, decimal_places=2, default=0
    )
    main_cause = models.CharField(_("主要致困原因"), max_length=32)
    other_causes = models.JSONField(_("次要致困原因"), default=list, blank=True)
    is_migrant = models.BooleanField(_("农民工"), default=False)
    is_model_worker = models.BooleanField(_("劳模"), default=False)
    bank_name = models.CharField(_("开户银行"), max_length=64, blank=True)
    bank_account = models.CharField(_("银行卡号"), max_length=32, blank=True)
    standard = models.ForeignKey(Standard, null=True, on_delete=models.PROTECT, related_name="+")
    proposed = models.CharField(_("建议类别"), max_length=1, choices=Category.choices, blank=True)
    category = models.CharField(_("困难类别"), max_length=1, choices=Category.choices)
    explanation = models.CharField(_("类别说明"), max_length=300, blank=True)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    household = models.ForeignKey(
        "register.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_status_display()}）"

    def save(self, *args, **kwargs):
        self.id_token = search_token("id", self.id_number) if self.id_number else ""
        super().save(*args, **kwargs)


class ApplicantMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    relation = models.CharField(_("与申请人关系"), max_length=16)
    health = models.CharField(_("健康状况"), max_length=64, blank=True)
    school = models.CharField(_("就学情况"), max_length=64, blank=True)
    work = models.CharField(_("就业情况"), max_length=64, blank=True)

    def __str__(self) -> str:
        return self.name


class StepRecord(models.Model):
    """Each step taken on an application: who, when, what was found (visit, check, notice)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=32)  # create, check, visit, review, verify, notice …
    status_after = models.CharField(max_length=16, choices=Status.choices)
    note = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_unit = models.CharField(max_length=128, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.action


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("本人签字的申请书")
    CONSENT = "consent", _("家庭经济状况核对授权书")
    INCOME = "income", _("收入证明")
    MEDICAL = "medical", _("病历、诊断证明")
    PHOTO = "photo", _("入户照片")
    OTHER = "other", _("其他材料")


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    file = models.FileField(upload_to="applications/%Y/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Objection(models.Model):
    """An objection received during the public notice, and what was found."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField(_("收到日期"))
    text = models.CharField(_("异议内容"), max_length=500)
    resolution = models.CharField(_("核实结果"), max_length=500, blank=True)
    upheld = models.BooleanField(_("异议成立"), default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return self.text[:20]


class FileSource(models.TextChoices):
    APPLICATION = "application", _("申请审批建档")
    IMPORT = "import", _("名单导入建档")
    REGISTER = "register", _("登记建档")


class FileState(models.Model):
    """动态管理 of a household file: where it came from and when it is next reviewed."""

    household = models.OneToOneField(
        "register.Household", on_delete=models.CASCADE, related_name="file_state"
    )
    source = models.CharField(max_length=16, choices=FileSource.choices)
    source_note = models.CharField(max_length=200, blank=True)  # the imported list's name
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_on = models.DateField(_("建档日期"))
    review_due = models.DateField(_("下次复核日期"), null=True, blank=True, db_index=True)
    overdue = models.BooleanField(_("复核逾期"), default=False, db_index=True)

    def __str__(self) -> str:
        return f"{self.household_id} {self.review_due}"


class FilePeriod(models.Model):
    """The category a file had from ``start`` until the day before ``end`` (open: still).
    Record-based figures read these, so a later review or 脱困 leaves an earlier report's
    figures as they were."""

    household = models.ForeignKey(
        "register.Household", on_delete=models.CASCADE, related_name="file_periods"
    )
    category = models.CharField(max_length=1, choices=Category.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["household", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(end__isnull=True), name="one_open_file_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.category} {self.start}–{self.end or ''}"


class Outcome(models.TextChoices):
    CONFIRM = "confirm", _("维持类别")
    CHANGE = "change", _("调整类别")
    CLOSE = "close", _("脱困退出")


class FileReview(models.Model):
    """A yearly review (年度复核) of a file: the income check repeated and its outcome."""

    household = models.ForeignKey(
        "register.Household", on_delete=models.CASCADE, related_name="file_reviews"
    )
    reviewed_on = models.DateField(_("复核日期"))
    family_size = models.PositiveSmallIntegerField(_("家庭人口"))
    per_capita = models.DecimalField(_("家庭月人均收入（元）"), max_digits=12, decimal_places=2)
    proposed = models.CharField(max_length=1, choices=Category.choices, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    category_before = models.CharField(max_length=1, choices=Category.choices)
    category_after = models.CharField(max_length=1, choices=Category.choices, blank=True)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.reviewed_on} {self.outcome}"
