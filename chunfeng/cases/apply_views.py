"""代职工提交建档申请 from a case: the applications app's form, started with what the case
already says of the worker (``household_data_from``), filed for the case's union and linked to
the case. The application then goes through its steps on the applications pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chunfeng.applications import forms as application_forms
from chunfeng.applications.selectors import regions
from chunfeng.applications.standards import cause_labels
from chunfeng.applications.views import LABELS
from chunfeng.core.rules import can_handle_case
from chunfeng.core.web import attempt

from .help import case_application_submit, household_data_from
from .selectors import case_for


def _form(case, data=None):
    initial = household_data_from(case) | {
        "unit": case.unit.code,
        "region_code": case.unit.code[:6],
    }
    form = application_forms.ApplicationForm(
        data, initial=initial, units=[case.unit], regions=regions(), causes=cause_labels()
    )
    form.fields["unit"].disabled = True
    return form


@login_required
def case_application_view(request, pk: int):
    case = case_for(request.user, pk)
    if not can_handle_case(request.user, case.unit) or not case.is_open:
        raise PermissionDenied(_("您不能为这件工单的职工提交建档申请"))
    if case.application_id or case.household_id:
        messages.warning(request, _("这件工单已有建档申请或困难职工档案"))
        return redirect("case-detail", pk)
    form = _form(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = attempt(
            form,
            lambda: case_application_submit(
                case=case, data=form.service_data(), actor=request.user
            ),
            LABELS,
        )
        if created is not None:
            messages.success(
                request, _("已提交 %(name)s 的建档申请，待初审") % {"name": created.name}
            )
            return redirect("case-detail", pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": f"代职工提交建档申请（工单 {case.number}）", "case": case}
    return render(request, "applications/application_form.html", context, status=status)
