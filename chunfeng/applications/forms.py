"""Forms of the application pages: they only shape the posted data; the services check it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chunfeng.register.models import Category

from .models import DocumentKind, Outcome

MEMBER_ROWS = 5
INCOME_ROWS = 4
MEMBER_FIELDS = (
    ("name", _("姓名")),
    ("id_number", _("身份证号码")),
    ("relation", _("关系")),
    ("health", _("健康")),
    ("school", _("就学")),
    ("work", _("就业")),
)
DATE = forms.DateInput(attrs={"type": "date"})


class ApplicationForm(forms.Form):
    unit = forms.ChoiceField(label=_("受理的基层工会"))
    name = forms.CharField(label=_("申请人姓名"), max_length=64)
    id_number = forms.CharField(label=_("身份证号码"), max_length=24)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    region_code = forms.ChoiceField(label=_("所在区（县）"))
    street = forms.CharField(label=_("街道（乡镇）"), max_length=64, required=False)
    address = forms.CharField(label=_("详细地址"), max_length=200)
    employer = forms.CharField(label=_("工作单位"), max_length=128, required=False)
    employer_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=24, required=False)
    post = forms.CharField(label=_("岗位"), max_length=64, required=False)
    main_cause = forms.ChoiceField(label=_("主要致困原因"))
    other_causes = forms.MultipleChoiceField(
        label=_("次要致困原因"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_migrant = forms.BooleanField(label=_("农民工"), required=False)
    is_model_worker = forms.BooleanField(label=_("劳模"), required=False)
    bank_name = forms.CharField(label=_("开户银行"), max_length=64, required=False)
    bank_account = forms.CharField(label=_("银行卡号"), max_length=40, required=False)
    category = forms.ChoiceField(label=_("申请困难类别"), choices=Category.choices)
    explanation = forms.CharField(
        label=_("类别说明"),
        max_length=300,
        required=False,
        help_text=_("所选类别与收入和致困原因不符时，须说明理由"),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=(), regions=(), causes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]
        self.fields["region_code"].choices = list(regions)
        causes = list((causes or {}).items())
        self.fields["main_cause"].choices = causes
        self.fields["other_causes"].choices = causes
        for i in range(1, MEMBER_ROWS + 1):
            for key, label in MEMBER_FIELDS:
                self.fields[f"m{i}_{key}"] = forms.CharField(
                    label=label, max_length=24 if key == "id_number" else 64, required=False
                )
        for i in range(1, INCOME_ROWS + 1):
            self.fields[f"i{i}_item"] = forms.CharField(label=_("收入项目"), required=False)
            self.fields[f"i{i}_amount"] = forms.CharField(label=_("元/月"), required=False)

    def member_rows(self):
        return [
            [self[f"m{i}_{key}"] for key, _label in MEMBER_FIELDS]
            for i in range(1, MEMBER_ROWS + 1)
        ]

    def income_rows(self):
        return [(self[f"i{i}_item"], self[f"i{i}_amount"]) for i in range(1, INCOME_ROWS + 1)]

    def named(self, *names: str):
        return [self[n] for n in names]

    def service_data(self) -> dict:
        c = self.cleaned_data
        data = {k: c.get(k) for k in self.fields if not _row_field(k)}
        data["members"] = [
            {key: c.get(f"m{i}_{key}", "") for key, _label in MEMBER_FIELDS}
            for i in range(1, MEMBER_ROWS + 1)
            if any(c.get(f"m{i}_{key}") for key, _label in MEMBER_FIELDS)
        ]
        data["income_items"] = [
            {"item": c.get(f"i{i}_item", ""), "amount": c.get(f"i{i}_amount", "")}
            for i in range(1, INCOME_ROWS + 1)
            if c.get(f"i{i}_item") or c.get(f"i{i}_amount")
        ]
        return data


def _row_field(name: str) -> bool:
    return len(name) > 2 and name[0] in "mi" and name[1].isdigit() and "_" in name


def initial_of(application) -> dict:
    """The form's values from a stored application (to amend it)."""
    out = {
        k: getattr(application, k)
        for k in ApplicationForm.base_fields
        if k not in ("unit", "version")
    }
    out |= {"unit": application.unit.code, "version": application.version}
    for i, m in enumerate(application.members.all()[:MEMBER_ROWS], start=1):
        out |= {f"m{i}_{key}": getattr(m, key) for key, _label in MEMBER_FIELDS}
    for i, item in enumerate(application.income_items[:INCOME_ROWS], start=1):
        out |= {f"i{i}_item": item["item"], f"i{i}_amount": item["amount"]}
    return out


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), max_length=300, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=300)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("调查日期"), widget=DATE)
    visitors = forms.CharField(label=_("调查人员"), max_length=100)
    findings = forms.CharField(label=_("调查情况"), max_length=300, widget=forms.Textarea)


class VerifyForm(forms.Form):
    matched = forms.TypedChoiceField(
        label=_("核对结果"),
        choices=[("1", _("相符")), ("0", _("不相符"))],
        coerce=lambda v: v == "1",
    )
    reference = forms.CharField(label=_("民政核对报告编号"), max_length=64)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class NoticeForm(forms.Form):
    start = forms.DateField(label=_("公示开始日期"), widget=DATE, required=False)


class ApproveForm(forms.Form):
    on = forms.DateField(label=_("审批日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("意见"), max_length=300, required=False)


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    text = forms.CharField(label=_("异议内容"), max_length=500)


class ResolveForm(forms.Form):
    upheld = forms.BooleanField(label=_("异议成立"), required=False)
    resolution = forms.CharField(label=_("核实结果"), max_length=500)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("文件（照片或扫描件，10 MB 以内）"))


class ReviewForm(forms.Form):
    on = forms.DateField(label=_("复核日期"), widget=DATE)
    family_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=99)
    income = forms.CharField(label=_("家庭月人均收入（元）"), max_length=16)
    outcome = forms.ChoiceField(label=_("复核结果"), choices=Outcome.choices)
    category = forms.ChoiceField(
        label=_("调整后类别"), choices=[("", "—"), *Category.choices], required=False
    )
    reason = forms.CharField(
        label=_("说明（脱困原因；所选类别与收入不符时的理由）"), max_length=300, required=False
    )


class StandardForm(forms.Form):
    region_code = forms.ChoiceField(label=_("地区"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    low_line = forms.DecimalField(
        label=_("低保标准（元/人/月）"), max_digits=8, decimal_places=2, min_value=1
    )
    c_margin = forms.DecimalField(
        label=_("低保边缘倍数"), max_digits=4, decimal_places=2, min_value=1, initial="1.50"
    )
    effective_from = forms.DateField(label=_("执行日期"), widget=DATE)
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=30, initial=7)
    source = forms.CharField(label=_("依据（文件、来源）"), max_length=200, required=False)
