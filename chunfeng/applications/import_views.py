"""The import of a household list, filed at once or as applications (``imports``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chunfeng.core.uploads import SHORT_LIST, upload_page
from chunfeng.core.web import caught
from chunfeng.orgunits.selectors import unit_for

from .imports import MODES, households_import
from .selectors import units_applying_for


class ImportForm(forms.Form):
    unit = forms.ChoiceField(label=_("导入到"))
    mode = forms.ChoiceField(label=_("导入方式"), choices=list(MODES.items()))
    file = forms.FileField(label=_("名单（xlsx、xls 或 csv，5 MB 以内）"))


def _may_import(request) -> None:
    if not units_applying_for(request.user).exists():
        raise PermissionDenied(gettext("您的角色不能导入困难职工名单"))


@login_required
@upload_page(limit=SHORT_LIST, permit=_may_import)
def households_import_view(request):
    _may_import(request)
    units = units_applying_for(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["unit"].choices = [(u.code, u.name) for u in units]
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        unit = unit_for(request.user, form.cleaned_data["unit"])
        mode = form.cleaned_data["mode"]
        count, error = caught(
            lambda: households_import(
                unit=unit, upload=form.cleaned_data["file"], mode=mode, actor=request.user
            )
        )
        if error is None:
            messages.success(
                request,
                gettext("已导入 %(count)s 户（%(mode)s）") % {"count": count, "mode": MODES[mode]},
            )
            return redirect("household-list" if mode == "filed" else "application-list")
        problems = [error.message, *(d.get("text", "") for d in error.details or [])]
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "problems": problems}
    return render(request, "applications/import.html", context, status=status)
