from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chunfeng.core.idnumbers import InvalidIdNumber, parse_id

from .listfile import TARGETS, column_label
from .models import CAUSES, Category, HouseholdStatus


def unit_choices(units) -> list[tuple[str, str]]:
    return [(u.code, f"{u.code} {u.name}") for u in units]


class IdNumberField(forms.CharField):
    """An 18-digit (or legacy 15-digit) resident ID number, checked as GB 11643 says."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse_id(value).number
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc), code="invalid_id") from None


class HouseholdForm(forms.Form):
    """A household's fields. The services check them again; the form names the field."""

    unit = forms.CharField(label=_("建档单位"), widget=forms.Select)
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = IdNumberField(
        label=_("身份证号码"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=128, required=False)
    category = forms.ChoiceField(label=_("困难类别"), choices=[("", "——"), *Category.choices])
    family_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30, initial=1)
    income = forms.DecimalField(
        label=_("家庭月人均收入（元）"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    is_migrant = forms.BooleanField(label=_("农民工"), required=False)
    is_model_worker = forms.BooleanField(label=_("劳模"), required=False)
    is_laid_off = forms.BooleanField(label=_("下岗失业"), required=False)
    causes = forms.MultipleChoiceField(
        label=_("致困原因"),
        choices=list(CAUSES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bank_account = forms.CharField(
        label=_("银行卡号"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # the version of the household the form shows (contract (c)); empty for a new one
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:  # the unit does not change; a new ID number or bank account is asked for
            del self.fields["unit"]
            self.fields["id_number"].required = False
            self.fields["id_number"].label = _("更正身份证号码")
            self.fields["id_number"].help_text = _("不更正请留空；更正须经审核员批准后生效")
            self.fields["bank_account"].label = _("新银行卡号")
            self.fields["bank_account"].help_text = _("不修改请留空；修改须经审核员批准后生效")
        else:
            del self.fields["version"]
            self.fields["unit"].widget.choices = unit_choices(units or [])

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("unit", None)
        data.pop("version", None)
        if self.editing:  # left empty: no change asked
            for key in ("id_number", "bank_account"):
                if not data.get(key):
                    data.pop(key, None)
        return data


class EscapeForm(forms.Form):
    escaped_on = forms.DateField(
        label=_("脱困日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    escaped_reason = forms.CharField(
        label=_("脱困原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_escaped_on(self):
        on = self.cleaned_data["escaped_on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("脱困日期不能晚于今天"))
        return on


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = IdNumberField(
        label=_("身份证号码"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    relation = forms.CharField(label=_("与户主关系"), max_length=16, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_member_%s")
        super().__init__(*args, **kwargs)


class FilterForm(forms.Form):
    """The list's filters. ``q`` is a name or a full ID number (posted, never in the URL)."""

    q = forms.CharField(label=_("姓名或完整身份证号码"), required=False, max_length=64)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *HouseholdStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("困难类别"), required=False, choices=[("", _("全部")), *Category.choices]
    )
    unit = forms.CharField(label=_("单位（含下级）"), required=False, widget=forms.Select)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [("", _("全部"))] + unit_choices(units)


class ImportForm(forms.Form):
    unit = forms.CharField(label=_("导入到单位"), widget=forms.Select)
    file = forms.FileField(
        label=_("困难职工名单（xlsx 或 csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = unit_choices(units)


class MappingForm(forms.Form):
    """Which column of the file holds each target field (shown when the headers differ from
    the template's)."""

    def __init__(self, *args, columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（不导入）"))] + [
            (str(i), column_label(i, columns)) for i in range(len(columns))
        ]
        for i, target in enumerate(TARGETS):
            self.fields[f"t{i}"] = forms.ChoiceField(label=target, choices=choices, required=False)

    def mapping(self) -> dict[str, int | None]:
        return {
            target: (int(v) if (v := self.cleaned_data.get(f"t{i}")) not in (None, "") else None)
            for i, target in enumerate(TARGETS)
        }

    @staticmethod
    def initial_for(mapping: dict[str, int | None]) -> dict[str, str]:
        return {
            f"t{i}": "" if mapping.get(t) is None else str(mapping[t])
            for i, t in enumerate(TARGETS)
        }


class IdAccessFilterForm(forms.Form):
    """The ID access log's filters (the page and ``chunfeng id-access`` share the selector)."""

    unit = forms.CharField(label=_("单位（含下级）"), required=False, widget=forms.Select)
    user = forms.CharField(label=_("用户名"), required=False, max_length=150)
    household = forms.IntegerField(label=_("档案编号"), required=False, min_value=1)
    purpose = forms.ChoiceField(label=_("用途"), required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units=(), purposes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [("", _("全部"))] + unit_choices(units)
        self.fields["purpose"].choices = [("", _("全部")), *purposes]
