from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from chunfeng.orgunits.forms import unit_choices

from .models import Role


class UserCreateForm(forms.Form):
    """The unit is posted by code; the view resolves it within the admin's subtree."""

    username = forms.CharField(
        label=_("用户名"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    full_name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    unit = forms.CharField(label=_("单位"), widget=forms.Select)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices, initial=Role.FILLER)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)

    def __init__(self, *args, units=(), **kwargs):
        kwargs.setdefault("auto_id", "id_new_%s")
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = unit_choices(units)


class UserChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    active = forms.TypedChoiceField(
        label=_("状态"),
        choices=[("1", _("在用")), ("0", _("停用"))],
        coerce=lambda value: value == "1",
    )


class PasswordChangeForm(forms.Form):
    """The old password and the new one twice; the policy is the service's."""

    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autofocus": True})
    )
    new_password = forms.CharField(label=_("新密码"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data
