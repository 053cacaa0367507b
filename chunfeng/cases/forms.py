"""The forms of the case pages. They read what was typed; the services check it again and
name the field of any problem (``core.web.attempt`` puts it under that field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chunfeng.funds.models import AidType

from .models import (
    LOGGED_BY_HAND,
    Category,
    Difficulty,
    EntryKind,
    Outcome,
    RequestType,
    Satisfaction,
    Source,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _choices(enum, blank: bool = False):
    return ([("", "——")] if blank else []) + list(enum.choices)


class CaseForm(forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    caller_name = forms.CharField(label=_("来电人姓名"), max_length=64)
    caller_phone = forms.CharField(label=_("联系电话"), max_length=32)
    caller_id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    caller_birth_year = forms.IntegerField(
        label=_("出生年份（无身份证号码时）"), min_value=1900, max_value=2100, required=False
    )
    caller_is_migrant = forms.BooleanField(label=_("农民工"), required=False)
    employer = forms.CharField(label=_("用人单位"), max_length=128, required=False)
    employer_code = forms.CharField(label=_("统一社会信用代码"), max_length=24, required=False)
    region = forms.CharField(label=_("事发地区划代码（如 210202）"), max_length=12, required=False)
    request_type = forms.ChoiceField(label=_("诉求类型"), choices=RequestType.choices)
    category = forms.ChoiceField(label=_("诉求类别"), choices=Category.choices)
    difficulty = forms.ChoiceField(label=_("难度"), choices=Difficulty.choices)
    description = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))
    workers = forms.IntegerField(label=_("涉及职工人数"), min_value=1, initial=1)
    migrants = forms.IntegerField(label=_("其中农民工人数"), min_value=0, required=False)
    amount_involved = forms.DecimalField(
        label=_("涉及金额（元）"), min_value=0, decimal_places=2, required=False
    )
    cross_region = forms.BooleanField(label=_("跨地区"), required=False)

    def __init__(self, *args, units=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["source"]
        if units is not None:
            choices = [("", _("按事发地或用人单位自动分派"))]
            choices += [(u.code, f"{u.code} {u.name}") for u in units]
            self.fields["unit"] = forms.ChoiceField(
                label=_("承办单位"), choices=choices, required=False
            )

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "unit"}
        return {k: ("" if v is None else v) for k, v in data.items()}


class TransferForm(forms.Form):
    unit = forms.ChoiceField(label=_("转至"))
    reason = forms.CharField(label=_("转办理由"), max_length=300)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, f"{u.code} {u.name}") for u in units]


class LogForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("办理方式"), choices=[(k.value, k.label) for k in LOGGED_BY_HAND]
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延期理由"), max_length=500)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("批准")), ("0", _("不批准"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("意见"), max_length=500, required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=Outcome.choices)
    note = forms.CharField(label=_("结果说明"), max_length=500, required=False)
    recovered = forms.DecimalField(
        label=_("为职工追回金额（元）"), min_value=0, decimal_places=2, initial=0
    )


class VisitForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices)
    on = forms.DateField(label=_("回访日期"), widget=DATE)
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新办理的理由"), max_length=500)


class HouseholdFromCaseForm(forms.Form):
    """The worker's ID number, to link the file already on the register (a new file is opened
    by an application's approval). Left empty, the case's own number is used (the page never
    carries it whole)."""

    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=24,
        required=False,
        help_text=_("留空则按工单中的身份证号码关联"),
    )


class PayForm(forms.Form):
    campaign = forms.ChoiceField(label=_("活动"))
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, decimal_places=2)
    aid_type = forms.ChoiceField(label=_("救助类别"), choices=AidType.choices)
    paid_on = forms.DateField(label=_("发放日期"), widget=DATE)

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(str(c.pk), c.name) for c in campaigns]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("工单编号或来电人"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", "——"),
            ("open", _("未办结")),
            ("new", _("待签收")),
            ("handling", _("办理中")),
            ("closed", _("已办结")),
        ],
    )
    category = forms.ChoiceField(label=_("类别"), required=False, choices=_choices(Category, True))
    overdue = forms.BooleanField(label=_("只看超期"), required=False)


class PeriodForm(forms.Form):
    unit = forms.ChoiceField(label=_("单位"), required=False)
    start = forms.DateField(label=_("受理自"), widget=DATE)
    end = forms.DateField(label=_("至"), widget=DATE)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, f"{u.code} {u.name}") for u in units]


ENTRY_KINDS = dict(EntryKind.choices)
