import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chunfeng.formdefs.selectors import form_versions_latest
from chunfeng.orgunits.models import OrgUnit, UnitKind

from .festival import festival_after, period_end_proposed

RULES = [
    ("children", _("全部直属下级单位")),
    ("grassroots", _("所选单位下的全部基层工会")),
    ("pick", _("逐个选择")),
]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=200)
    notice = forms.CharField(
        label=_("通知正文"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    notice_file = forms.FileField(label=_("通知附件"), required=False)
    period_start = forms.DateField(
        label=_("活动开始"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("活动结束"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateField(label=_("报送截止"), widget=forms.DateInput(attrs={"type": "date"}))
    requires_work_report = forms.BooleanField(
        label=_("须上传工作报告"), required=False, initial=True
    )
    rule = forms.ChoiceField(label=_("报送单位"), choices=RULES, initial="children")
    rule_unit = forms.ModelChoiceField(
        label=_("所选单位"), queryset=OrgUnit.objects.none(), required=False
    )
    picked = forms.ModelMultipleChoiceField(
        label=_("逐个选择的单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, owner: OrgUnit, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._propose_period(today or timezone.localdate())
        below = OrgUnit.objects.filter(path__startswith=owner.path, active=True).exclude(
            pk=owner.pk
        )
        self.fields["rule_unit"].queryset = OrgUnit.objects.filter(
            path__startswith=owner.path, active=True
        ).exclude(kind=UnitKind.GRASSROOTS)
        self.fields["picked"].queryset = below
        self.owner = owner
        for fv in form_versions_latest():
            self.fields[f"form_{fv.code}"] = forms.BooleanField(
                label=f"{fv.attachment} {fv.title}", required=False, initial=True
            )
            self.fields[f"ref_{fv.code}"] = forms.DateField(
                label=_("统计截止日期（空＝活动期间）"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def _propose_period(self, today: dt.date) -> None:
        """The seed's period: from today "至春节前" (the day before the coming 春节)."""
        festival = festival_after(today)
        self.fields["period_start"].initial = today
        self.fields["period_end"].initial = period_end_proposed(today)
        self.fields["period_end"].help_text = _(
            "春节是 %(festival)s，“至春节前”即 %(end)s；活动期外的发放将被拒绝。"
        ) % {"festival": festival.isoformat(), "end": period_end_proposed(today).isoformat()}

    def form_choices(self) -> dict:
        return {
            code[5:]: self.cleaned_data.get(f"ref_{code[5:]}")
            for code, value in self.cleaned_data.items()
            if code.startswith("form_") and value
        }

    def recipients(self) -> list[OrgUnit]:
        rule = self.cleaned_data["rule"]
        if rule == "children":
            return list(self.owner.children.filter(active=True))
        if rule == "grassroots":
            base = self.cleaned_data.get("rule_unit") or self.owner
            return list(
                OrgUnit.objects.filter(
                    path__startswith=base.path, active=True, kind=UnitKind.GRASSROOTS
                )
            )
        return list(self.cleaned_data.get("picked") or [])


PASS_TARGETS = [
    ("children", _("全部直属下级单位")),
    ("grassroots", _("本单位下的全部基层工会")),
    ("picked", _("逐个选择")),
]


class PassDownForm(forms.Form):
    """下发: the units below the user's own that the campaign goes on to, with this unit's own
    deadline and notice."""

    target = forms.ChoiceField(label=_("下发对象"), choices=PASS_TARGETS, initial="children")
    picked = forms.ModelMultipleChoiceField(
        label=_("逐个选择的单位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("本级报送截止"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notice = forms.CharField(
        label=_("本级通知"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args, below, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picked"].queryset = below
