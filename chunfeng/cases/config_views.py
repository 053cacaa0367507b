"""The settings page of the cases (admins of the union at the top): time limits and the days of
the working-day calendar that the calendar package does not know or gets wrong."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from chunfeng.core.rules import can_configure_cases
from chunfeng.core.web import attempt, back_on_error

from .configuration import calendar_day_remove, calendar_day_set, time_limit_remove, time_limit_set
from .forms import DATE
from .limits import DEFAULT_LIMITS, ack_workdays, default_workdays
from .models import Difficulty, RequestType
from .selectors import calendar_day_for, calendar_days, time_limit_for, time_limits
from .workdays import package_years


class LimitForm(forms.Form):
    request_type = forms.ChoiceField(
        label=_("诉求类型"), choices=[("", _("全部类型")), *RequestType.choices], required=False
    )
    difficulty = forms.ChoiceField(label=_("难度"), choices=Difficulty.choices)
    workdays = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=365)


class DayForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    is_workday = forms.TypedChoiceField(
        label=_("这一天"),
        choices=[("0", _("放假")), ("1", _("上班（调休）"))],
        coerce=lambda v: v == "1",
    )
    name = forms.CharField(label=_("说明（如 春节）"), max_length=64, required=False)


def _require(user) -> None:
    if not can_configure_cases(user):
        raise PermissionDenied(gettext("只有最上级工会的管理员可以设置办理时限和工作日"))


def _page(request, limit_form=None, day_form=None, status=200):
    first, last = package_years()
    context = {
        "limits": time_limits(),
        "days": calendar_days(),
        "defaults": [(Difficulty(d).label, default_workdays(d)) for d in DEFAULT_LIMITS],
        "ack": ack_workdays(),
        "limit_form": limit_form or LimitForm(),
        "day_form": day_form or DayForm(),
        "first_year": first,
        "last_year": last,
    }
    return render(request, "cases/config.html", context, status=status)


@login_required
def case_config(request):
    _require(request.user)
    return _page(request)


@login_required
@require_POST
def case_limit_set(request):
    _require(request.user)
    form = LimitForm(request.POST)
    if form.is_valid() and attempt(
        form, lambda: time_limit_set(actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, gettext("已保存办理时限；新受理的工单按新时限计算"))
        return redirect("case-config")
    return _page(request, limit_form=form, status=400)


@login_required
@require_POST
def case_day_set(request):
    _require(request.user)
    form = DayForm(request.POST)
    if form.is_valid() and attempt(
        form, lambda: calendar_day_set(actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, gettext("已保存这一天的设置"))
        return redirect("case-config")
    return _page(request, day_form=form, status=400)


def _config(request, *args, **kwargs) -> str:
    return reverse("case-config")


@login_required
@require_POST
@back_on_error(_config)
def case_limit_remove(request, pk: int):
    _require(request.user)
    time_limit_remove(limit=time_limit_for(pk), actor=request.user)
    return redirect("case-config")


@login_required
@require_POST
@back_on_error(_config)
def case_day_remove(request, pk: int):
    _require(request.user)
    calendar_day_remove(entry=calendar_day_for(pk), actor=request.user)
    return redirect("case-config")
