"""Form shapes of the funds pages. Amounts are taken as text and checked by the services (yuan
with at most two decimals), so that the page, the import and the API say the same thing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AidType, FlagStatus, PaymentKind, Recipient, Source, VisitKind


def unit_choices(units) -> list[tuple[str, str]]:
    return [(u.code, f"{u.name}（{u.code}）") for u in units]


class _UnitForm(forms.Form):
    """``unit`` is a code among the units the user may write for (the view resolves it)."""

    unit = forms.ChoiceField(label=_("单位"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)


class DateInput(forms.DateInput):
    """The browser's date picker wants ISO dates whatever the locale's display format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ReceiptForm(_UnitForm):
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    amount = forms.CharField(label=_("金额（元）"), max_length=20)
    from_unit = forms.CharField(
        label=_("下拨单位代码"),
        max_length=32,
        required=False,
        help_text=_("来源为“上级下拨”时填写拨款的上级工会代码"),
    )
    received_on = forms.DateField(label=_("到账日期"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)


class BatchForm(_UnitForm):
    name = forms.CharField(
        label=_("批次名称"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("春节慰问第一批")}),
    )


class LineForm(forms.Form):
    recipient = forms.ChoiceField(
        label=_("发放对象"),
        choices=Recipient.choices,
        initial=Recipient.HOUSEHOLD,
        required=False,  # an older page or client: a household on file
    )
    # max 40: a file chosen with the picker is posted as its ID search token (``line_pick``)
    id_number = forms.CharField(label=_("身份证号码（困难企业填统一社会信用代码）"), max_length=40)
    name = forms.CharField(
        label=_("姓名或企业名称（建档的困难职工可不填）"), max_length=64, required=False
    )
    amount = forms.CharField(label=_("金额（元）"), max_length=20)
    kind = forms.ChoiceField(
        label=_("发放方式"), choices=PaymentKind.choices, initial=PaymentKind.CASH
    )
    goods = forms.CharField(label=_("实物名称"), max_length=100, required=False)
    aid_type = forms.ChoiceField(
        label=_("救助类别"), choices=AidType.choices, initial=AidType.CONDOLENCE
    )
    paid_on = forms.DateField(label=_("发放日期"), widget=DateInput, initial=timezone.localdate)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（xlsx 或 CSV）"))


class BankResultForm(forms.Form):
    """The bank's result file, and which of its columns hold ours when its names differ."""

    file = forms.FileField(label=_("银行结果文件（xlsx 或 CSV）"))
    column_number = forms.CharField(
        label=_("“账号或身份证号码”在文件中的列名（可不填）"), max_length=50, required=False
    )
    column_amount = forms.CharField(
        label=_("“金额”在文件中的列名（可不填）"), max_length=50, required=False
    )
    column_result = forms.CharField(
        label=_("“结果”在文件中的列名（可不填）"), max_length=50, required=False
    )
    column_reason = forms.CharField(
        label=_("“原因”在文件中的列名（可不填）"), max_length=50, required=False
    )

    def mapping(self) -> dict[str, str]:
        return {
            k: self.cleaned_data.get(f"column_{k}", "")
            for k in ("number", "amount", "result", "reason")
        }


class SignedSheetForm(forms.Form):
    file = forms.FileField(label=_("签字后的签领表（扫描件或照片：JPG、PNG、PDF）"))


class SheetConfirmForm(forms.Form):
    note = forms.CharField(label=_("核对说明"), max_length=150, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=150)


class VisitForm(_UnitForm):
    kind = forms.ChoiceField(label=_("走访类别"), choices=VisitKind.choices)
    visited_on = forms.DateField(label=_("走访日期"), widget=DateInput, initial=timezone.localdate)
    visitors = forms.CharField(label=_("走访人"), max_length=200)
    id_number = forms.CharField(
        label=_("身份证号码（走访家庭、走访个人）"), max_length=30, required=False
    )
    recipient = forms.ChoiceField(
        label=_("走访对象（走访个人）"),
        choices=[("", "—")]
        + [(r.value, r.label) for r in (Recipient.MODEL, Recipient.FRONTLINE, Recipient.WORKER)],
        required=False,
    )
    person_name = forms.CharField(label=_("姓名（走访个人）"), max_length=64, required=False)
    enterprise = forms.CharField(label=_("企业名称（走访企业）"), max_length=128, required=False)
    enterprise_code = forms.CharField(
        label=_("统一社会信用代码（困难企业必填）"), max_length=30, required=False
    )
    is_hardship_enterprise = forms.BooleanField(label=_("困难企业"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


RESOLUTIONS = [(s.value, s.label) for s in FlagStatus if s != FlagStatus.OPEN]


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=RESOLUTIONS)
    reason = forms.CharField(
        label=_("说明（确属第二次发放时必填）"), max_length=200, required=False
    )


class CoverageVisitForm(forms.Form):
    """A household visit recorded in place on the coverage list (the household is the row's)."""

    visited_on = forms.DateField(label=_("走访日期"), widget=DateInput, initial=timezone.localdate)
    visitors = forms.CharField(label=_("走访人"), max_length=200)
