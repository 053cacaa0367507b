from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chunfeng.core.versions import Versioned


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核通过")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportKind(models.TextChoices):
    FILED = "filed", _("合计（报送）")
    OWN = "own", _("本级")


class FiledReports(models.Manager):
    """``Report.objects``: the filed reports only (a unit's 合计, the one that goes upward).
    Everything that counts, lists or reviews reports means these; a unit's 本级 filing is
    reached through ``Report.all_kinds`` by the code that knows it wants it."""

    def get_queryset(self):
        return super().get_queryset().filter(kind=ReportKind.FILED)


class Report(Versioned):
    """One unit's filling of one campaign form, against the exact form version it used.

    ``kind`` ``filed`` is the report a unit files to its parent: the figures of its whole area
    (合计). A unit that collects reports also keeps ``own`` (本级): what the union itself
    raised, paid and visited, in the same form, never sent upward on its own; its 合计 is its
    本级 plus the filed reports of the reporting units below it (``chunfeng.rollups``). For the
    campaign's owner the filed report is the final report, frozen (approved) when it closes."""

    campaign_form = models.ForeignKey(
        "campaigns.CampaignForm", on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="reports")
    form_version = models.ForeignKey("formdefs.FormVersion", on_delete=models.PROTECT)
    kind = models.CharField(max_length=8, choices=ReportKind.choices, default=ReportKind.FILED)
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    filler_name = models.CharField(_("填报人"), max_length=64, blank=True)
    filler_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    fill_date = models.DateField(_("填报日期"), null=True, blank=True)
    explanations = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    objects = FiledReports()
    all_kinds = models.Manager()

    class Meta:
        base_manager_name = "all_kinds"
        constraints = [
            models.UniqueConstraint(fields=["campaign_form", "unit", "kind"], name="report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.campaign_form}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportValue(models.Model):
    """A filled blank. An empty blank has no row: empty is not zero. Counts and yes/no (1/0)
    are stored as whole numbers; money exactly in the blank's own unit (万元 or 元)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    code = models.CharField(max_length=16)
    value = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="reportvalue_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.value}"
