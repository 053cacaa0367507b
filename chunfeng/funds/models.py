from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chunfeng.core.personal import mask_id


class Source(models.TextChoices):
    """附件1 item 05."""

    GOVERNMENT = "government", _("政府拨款")
    UNION = "union", _("工会投入")
    DONATION = "donation", _("社会捐助")
    OTHER = "other", _("其他收入")
    # money passed down from a union above: raised once, by the giver (in its own source), and
    # spent by the receiver; not part of 05A or of any total of money raised
    ALLOCATION = "allocation", _("上级下拨")


RAISED_SOURCES = tuple(s for s in Source if s != Source.ALLOCATION)


class Receipt(models.Model):
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="receipts")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="receipts"
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    from_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("下拨单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations_given",
    )  # with source 上级下拨 only: the union above that passed the money down
    received_on = models.DateField(_("到账日期"))
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_positive"),
            models.CheckConstraint(
                condition=Q(source="allocation", from_unit__isnull=False)
                | (~Q(source="allocation") & Q(from_unit__isnull=True)),
                name="receipt_allocation_has_giver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"


class AidType(models.TextChoices):
    LIVING = "living", _("生活救助")
    MEDICAL = "medical", _("医疗救助")
    SCHOOLING = "schooling", _("助学")
    HEATING = "heating", _("取暖补贴")
    CONDOLENCE = "condolence", _("慰问金")
    LEGAL = "legal", _("法律援助")
    OTHER = "other", _("其他")


class PaymentKind(models.TextChoices):
    CASH = "cash", _("现金")
    GOODS = "goods", _("实物")


class Recipient(models.TextChoices):
    """Whom a payment line or a visit names (the seed's 三个面向 and actions 二、三, 慰问困难企业).
    Which blanks of 附件1 each kind counts in: ``docs/real-name-aid.md``."""

    HOUSEHOLD = "household", _("困难职工家庭（含困难农民工，须已建档）")
    HARDSHIP_MODEL = "hardship_model", _("困难劳模（须已建档并标为劳模）")
    MODEL = "model", _("劳模、先进（不在困难档案中）")
    FRONTLINE = "frontline", _("节日坚守岗位的一线职工、农民工")
    WORKER = "worker", _("其他职工")
    ENTERPRISE = "enterprise", _("困难企业（统一社会信用代码）")


ON_FILE = (Recipient.HOUSEHOLD, Recipient.HARDSHIP_MODEL)  # kinds that name a household on file


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("待发放")
    CONFIRMED = "confirmed", _("已确认发放")


class Confirmation(models.TextChoices):
    """What a batch was confirmed on: the bank's result file, or the signed sheet and a
    reviewer (never a bare declaration). ``declared`` marks the batches confirmed before."""

    BANK = "bank", _("银行代发结果文件")
    SIGNED = "signed", _("签领表扫描件（经审核员确认）")
    DECLARED = "declared", _("旧版声明确认（无凭证）")


class LineResult(models.TextChoices):
    """The bank's word on one line."""

    PENDING = "", _("未返回")
    PAID = "paid", _("已入账")
    FAILED = "failed", _("失败，待重新发放")


class PaymentBatch(models.Model):
    """发放批次: one real-name list of a unit in a campaign."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="batches")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="batches"
    )
    name = models.CharField(_("批次名称"), max_length=100)
    status = models.CharField(max_length=16, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirm_note = models.CharField(_("确认说明"), max_length=200, blank=True)
    confirmed_on = models.CharField(
        _("确认依据"), max_length=16, choices=Confirmation.choices, blank=True
    )
    # the signed 签领表 (scan or photo) of a cash or goods batch, waiting for a reviewer
    signed_sheet = models.FileField(upload_to="signed_sheets/%Y/", blank=True)
    signed_sheet_name = models.CharField(max_length=255, blank=True)
    signed_sheet_at = models.DateTimeField(null=True, blank=True)
    # a reviewer above the unit approved the list for payment by bank (the bank file is made
    # only then); a change of its lines withdraws the approval
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class PaymentLine(models.Model):
    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="lines")
    household = models.ForeignKey(
        "register.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )  # the file paid (``Recipient.ON_FILE`` kinds); none for the other kinds
    recipient = models.CharField(
        _("发放对象"), max_length=16, choices=Recipient.choices, default=Recipient.HOUSEHOLD
    )
    # denormalised from the batch and household, so duplicate checks are single indexed queries
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    # the resident ID (of the household's worker, or of the person named), or an enterprise's
    # unified social credit code; a person's kept with its search token, shown masked (the
    # token not indexed: no line is looked up by it, and the duplicate checks go by
    # (campaign, id_number); an index would be written with each of millions of lines a year)
    id_number = models.CharField(max_length=18)
    id_token = models.CharField(max_length=40, blank=True, editable=False)
    name = models.CharField(max_length=64)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    kind = models.CharField(max_length=8, choices=PaymentKind.choices, default=PaymentKind.CASH)
    goods = models.CharField(_("实物名称"), max_length=100, blank=True)
    aid_type = models.CharField(max_length=16, choices=AidType.choices)
    paid_on = models.DateField(_("发放日期"))
    cancelled = models.BooleanField(default=False)
    # the bank's word (a bank batch's result file): paid, or failed and to be paid again
    result = models.CharField(max_length=8, choices=LineResult.choices, blank=True, default="")
    result_reason = models.CharField(max_length=200, blank=True)

    # Set on a line just added (``line_add``): the flags it raised, and what the user is told.
    new_flags: list[DuplicateFlag]
    messages: list[str]

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "id_number"]),
            models.Index(fields=["campaign", "unit"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="line_positive"),
            # a hardship kind names its file; the other kinds name nobody on the register
            models.CheckConstraint(
                condition=Q(recipient__in=ON_FILE, household__isnull=False)
                | (~Q(recipient__in=ON_FILE) & Q(household__isnull=True)),
                name="line_file_by_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"

    @property
    def is_enterprise(self) -> bool:
        return self.recipient == Recipient.ENTERPRISE

    @property
    def shown_number(self) -> str:
        """The number as every page shows it: a person's ID masked, an enterprise's code whole
        (it is public, on its business licence)."""
        return self.id_number if self.is_enterprise else mask_id(self.id_number)


class FlagKind(models.TextChoices):
    EXACT = "exact", _("同一身份证号重复发放")
    NAME_BIRTH = "name_birth", _("疑似重复：姓名和出生日期相同")
    PHONE = "phone", _("疑似重复：联系电话相同")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DISTINCT = "distinct", _("确认不是同一户")
    GENUINE = "genuine", _("确属第二次发放")
    CANCELLED = "cancelled", _("已撤销该笔发放")


class DuplicateFlag(models.Model):
    """不重复: a line that pays a household already paid in the same campaign."""

    line = models.ForeignKey(PaymentLine, on_delete=models.CASCADE, related_name="flags")
    other = models.ForeignKey(PaymentLine, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=FlagKind.choices)
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    reason = models.CharField(_("处理说明"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "other", "kind"], name="flag_once_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.line} / {self.other}"


class VisitKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("走访企业")
    HOUSEHOLD = "household", _("走访职工家庭")
    PERSON = "person", _("走访慰问个人（劳模先进、一线职工等）")


class Visit(models.Model):
    """走访慰问."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="visits")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(max_length=16, choices=VisitKind.choices)
    household = models.ForeignKey(
        "register.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    enterprise = models.CharField(_("企业名称"), max_length=128, blank=True)
    enterprise_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    # a person visited who is not a household on file (``VisitKind.PERSON``)
    recipient = models.CharField(max_length=16, choices=Recipient.choices, blank=True)
    person_name = models.CharField(_("姓名"), max_length=64, blank=True)
    id_number = models.CharField(max_length=18, blank=True)
    id_token = models.CharField(max_length=40, blank=True, editable=False)  # no look-up: no index
    is_hardship_enterprise = models.BooleanField(_("困难企业"), default=False)
    visited_on = models.DateField(_("走访日期"))
    visitors = models.CharField(_("走访人"), max_length=200)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)
