from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .festival import festival_after


class Campaign(models.Model):
    """A 送温暖 campaign: who must report which forms, for which period, by when."""

    name = models.CharField(_("名称"), max_length=200)
    notice = models.TextField(_("通知正文"), blank=True)
    owner = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="owned_campaigns"
    )
    period_start = models.DateField(_("活动开始"))
    period_end = models.DateField(_("活动结束"))
    deadline = models.DateField(_("报送截止"))
    recipients = models.ManyToManyField("orgunits.OrgUnit", related_name="campaigns")
    notice_file = models.FileField(_("通知附件"), upload_to="notices/", blank=True)
    requires_work_report = models.BooleanField(_("须上传工作报告"), default=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="campaign_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def spring_festival(self):
        """The 春节 the campaign is about (``festival.festival_after`` its start)."""
        return festival_after(self.period_start)


class CampaignForm(models.Model):
    """A form a campaign asks for, pinned to one version, with its reference date."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forms")
    form_version = models.ForeignKey("formdefs.FormVersion", on_delete=models.PROTECT)
    code = models.CharField(max_length=16)  # the form's code, kept for unique lookups
    reference_date = models.DateField(_("统计截止日期"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="campaignform_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} / {self.form_version}"


WORK_REPORT_TYPES = (".doc", ".docx", ".pdf", ".wps")


class WorkReport(models.Model):
    """The 工作报告 a reporting unit files with its forms (docx/pdf/wps)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="work_reports")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="work_reports/%Y/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="workreport_unique")
        ]

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """催报: a reviewer's reminder to a unit that has not reported."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    message = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.unit}"


class PassDown(models.Model):
    """A unit that received the campaign passing it on to units below it (下发), with its own
    deadline (not later than the one it was given), notice and reminders. The units it passed
    the campaign to are recipients of the campaign like any other; the deadline that counts for
    their filing (overdue, 及时率) is this one."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="pass_downs")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("本级报送截止"))
    notice = models.TextField(_("本级通知"), blank=True)
    units = models.ManyToManyField("orgunits.OrgUnit", related_name="passed_campaigns")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="passdown_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} ← {self.unit}"
