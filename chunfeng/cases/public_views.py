"""The workers' public page (no login, phone-sized, Chinese first, in the chosen language): submit a request as text, and
check one's own case by its number and the phone given. Nothing else of the system is reachable
from it: its template extends no page of the staff's, and its answers name no other case."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from chunfeng.core.errors import ApplicationError
from chunfeng.core.web import apply_errors

from .models import Category
from .public import client_address, public_case_status, public_regions, public_request_submit

PUBLIC_CATEGORIES = [c for c in Category.choices if c[0] != Category.SUGGESTION]


class RequestForm(forms.Form):
    caller_name = forms.CharField(label=_("您的姓名"), max_length=64)
    caller_phone = forms.CharField(label=_("手机号码"), max_length=20)
    caller_is_migrant = forms.BooleanField(label=_("我是农民工"), required=False)
    region = forms.ChoiceField(label=_("事发地区"), required=False)
    category = forms.ChoiceField(label=_("求助类别"), choices=PUBLIC_CATEGORIES)
    description = forms.CharField(
        label=_("请说明您遇到的困难或问题"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("不清楚")), *public_regions()]


class StatusForm(forms.Form):
    number = forms.CharField(label=_("工单编号"), max_length=20)
    phone = forms.CharField(label=_("求助时留的电话"), max_length=20)


@require_http_methods(["GET", "POST"])
def public_request(request):
    form = RequestForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            case = public_request_submit(data=form.cleaned_data, address=client_address(request))
        except ApplicationError as exc:  # a field, or the rate limit (429): said on the form
            apply_errors(form, exc)
            status = exc.status
        else:
            return render(request, "cases/public/submitted.html", {"case": case})
    return render(request, "cases/public/request.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def public_status(request):
    form = StatusForm(request.POST or None)
    case, asked, status = None, False, 200
    if request.method == "POST" and form.is_valid():
        asked = True
        try:
            case = public_case_status(
                number=form.cleaned_data["number"],
                phone=form.cleaned_data["phone"],
                address=client_address(request),
            )
        except ApplicationError as exc:  # the rate limit: said on the page itself
            form.add_error(None, exc.message)
            status = exc.status
    context = {"form": form, "case": case, "asked": asked}
    return render(request, "cases/public/status.html", context, status=status)
