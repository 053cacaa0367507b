from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import UnitKind
from .services import CODE_PATTERN

code_validator = RegexValidator(CODE_PATTERN, _("代码只能由字母、数字、- 和 _ 组成"))


def unit_choices(units) -> list[tuple[str, str]]:
    return [("", "——")] + [(u.code, f"{u.code} {u.name}") for u in units]


class _UnitForm(forms.Form):
    """Units are posted by code and given as choices for the select; the view resolves each
    code within the admin's subtree (403 outside it), so the form only checks the shape."""

    prefix_id = ""

    def __init__(self, *args, choices: dict[str, list] | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.prefix_id}_%s")
        super().__init__(*args, **kwargs)
        for field, units in (choices or {}).items():
            self.fields[field].widget.choices = unit_choices(units)


class UnitCreateForm(_UnitForm):
    prefix_id = "new"
    code = forms.CharField(label=_("代码"), max_length=32, validators=[code_validator])
    name = forms.CharField(label=_("名称"), max_length=128)
    kind = forms.ChoiceField(
        label=_("类别"),
        # the root (a city or a province) is not created here
        choices=[c for c in UnitKind.choices if c[0] not in (UnitKind.CITY, UnitKind.PROVINCE)],
        initial=UnitKind.GRASSROOTS,
    )
    parent = forms.CharField(label=_("上级单位"), widget=forms.Select)
    contact_person = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)


class UnitMoveForm(_UnitForm):
    prefix_id = "move"
    unit = forms.CharField(label=_("要调整的单位"), widget=forms.Select)
    new_parent = forms.CharField(label=_("新的上级单位"), widget=forms.Select)


class UnitRetireForm(_UnitForm):
    prefix_id = "retire"
    unit = forms.CharField(label=_("要撤销的单位"), widget=forms.Select)
    on = forms.DateField(
        label=_("撤销日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("单位名单文件（CSV 或 xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
