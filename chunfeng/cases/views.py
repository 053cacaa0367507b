"""Pages of the 12351 cases: the list, intake, a case with its clock, log and help, its
change, the caller's full numbers (logged) and the figures. The actions on a case are in
``action_views``, the settings in ``config_views``, the workers' page in ``public_views``.

Every case is reached through ``cases_visible_to`` / ``case_for`` (404 outside the user's
subtree); the services ask the rulebook (403); the caller's phone and ID are masked."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.personal import mask_id, mask_phone
from chunfeng.core.rules import (
    can_configure_cases,
    can_handle_case,
    can_return_visit,
    can_see_caller_numbers,
    can_supervise_case,
    can_take_cases,
)
from chunfeng.core.versions import version_from
from chunfeng.core.web import attempt
from chunfeng.funds.selectors import funds_campaigns_visible_to
from chunfeng.orgunits.selectors import active_units_visible_to, unit_for, units_visible_to

from . import forms as f
from .figures import case_figures
from .help import filed_household, household_data_from
from .limits import clock
from .models import Status
from .selectors import (
    case_aid_lines,
    case_attachments,
    case_entries,
    case_for,
    cases_matching,
    duplicates_seen_by,
    pending_extension,
    possible_duplicates,
    transfer_targets,
    unit_by_code,
)
from .services import case_create, case_numbers_reveal, case_update

PAGE_SIZE = 50


@login_required
def case_list(request):
    form = f.FilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    cases = cases_matching(
        request.user,
        status=params.get("status") or None,
        category=params.get("category") or None,
        overdue=bool(params.get("overdue")),
        today=timezone.localdate(),
        q=params.get("q"),
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for case in page:
        case.clock = clock(case, today)
        case.masked_phone = mask_phone(case.caller_phone)
    keep = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    may_take = request.user.unit_id and can_take_cases(request.user, request.user.unit)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "filters": form,
            "keep": keep,
            "may_take": may_take,
            "may_configure": can_configure_cases(request.user),
        },
    )


@login_required
def case_new(request):
    user = request.user
    if not user.unit_id or not can_take_cases(user, user.unit):
        raise PermissionDenied(_("您的角色不能受理工单"))
    units = active_units_visible_to(user)
    form = f.CaseForm(request.POST or None, units=units)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        duplicates = possible_duplicates(user.unit, data["caller_phone"], data["caller_id_number"])
        if not duplicates or request.POST.get("confirmed"):
            code = form.cleaned_data.get("unit")
            unit = unit_by_code(units, code) if code else None
            case = attempt(
                form, lambda: case_create(intake_unit=user.unit, data=data, actor=user, unit=unit)
            )
            if case is not None:
                messages.success(
                    request,
                    _("已受理，工单编号 %(number)s，由%(unit)s办理")
                    % {"number": case.number, "unit": case.unit.name},
                )
                return redirect("case-detail", case.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "duplicates": duplicates, "title": "受理工单"}
    return render(request, "cases/case_form.html", context, status=status)


def detail_context(request, case, **extra) -> dict:
    user, today = request.user, timezone.localdate()
    handle = can_handle_case(user, case.unit)
    supervise = can_supervise_case(user, case.unit)
    open_ = case.is_open
    return {
        "case": case,
        "clock": clock(case, today),
        "phone": mask_phone(case.caller_phone),
        "id_number": mask_id(case.caller_id_number) if case.caller_id_number else "",
        "may_reveal": can_see_caller_numbers(user, case.unit),
        "may_handle": handle and open_,
        "may_supervise": supervise,
        "may_visit": can_return_visit(user, case.unit) and not open_,
        "may_reopen": supervise and not open_,
        "entries": case_entries(case),
        "duplicates": duplicates_seen_by(user, case),
        "pending": pending_extension(case),
        "aid": case_aid_lines(case),
        "attachments": case_attachments(case),
        "transfer_form": f.TransferForm(units=transfer_targets(user, case)) if handle else None,
        "log_form": f.LogForm(initial={"on": today}),
        "extension_form": f.ExtensionForm(),
        "decision_form": f.DecisionForm(),
        "close_form": f.CloseForm(initial={"recovered": case.recovered}),
        "visit_form": f.VisitForm(initial={"on": today}),
        "reopen_form": f.ReopenForm(),
        "household_form": f.HouseholdFromCaseForm(),
        "pay_form": f.PayForm(
            campaigns=funds_campaigns_visible_to(user), initial={"paid_on": today}
        ),
        "attachment_form": f.AttachmentForm(),
        "household_data": household_data_from(case),
        "household": filed_household(case),
        "Status": Status,
    } | extra


@login_required
def case_detail(request, pk: int):
    case = case_for(request.user, pk)
    return render(request, "cases/case_detail.html", detail_context(request, case))


@login_required
@require_POST
def case_reveal(request, pk: int):
    case = case_for(request.user, pk)
    if not can_see_caller_numbers(request.user, case.unit):
        raise PermissionDenied(_("您的角色不能查看来电人的完整号码"))
    phone, number = case_numbers_reveal(case=case, actor=request.user)
    context = detail_context(request, case, phone=phone, id_number=number, revealed=True)
    return render(request, "cases/case_detail.html", context)


EDITABLE = [n for n in f.CaseForm.base_fields if n != "source"]


@login_required
def case_edit(request, pk: int):
    case = case_for(request.user, pk)
    if not can_handle_case(request.user, case.unit) or not case.is_open:
        raise PermissionDenied(_("您不能修改这件工单"))
    initial = {name: getattr(case, name) for name in EDITABLE}
    form = f.CaseForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        version = request.POST.get("version")
        saved = attempt(
            form,
            lambda: case_update(
                case=case,
                data=form.service_data(),
                actor=request.user,
                version=version_from(version),
            ),
        )
        if saved is not None:
            messages.success(request, _("已保存工单 %(number)s") % {"number": case.number})
            return redirect("case-detail", case.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "case": case, "title": f"修改工单 {case.number}"}
    return render(request, "cases/case_form.html", context, status=status)


@login_required
def case_figures_page(request):
    """Figures per unit and period (received between two days; this year by default)."""
    today = timezone.localdate()
    units = units_visible_to(request.user)
    initial = {
        "unit": request.user.unit.code if request.user.unit_id else "",
        "start": dt.date(today.year, 1, 1),
        "end": today,
    }
    form = f.PeriodForm(request.GET or None, units=units, initial=initial)
    params = form.cleaned_data if form.is_valid() else initial
    unit = unit_for(request.user, params.get("unit") or initial["unit"])
    figures = case_figures(unit, params["start"], params["end"], today)
    return render(request, "cases/figures.html", {"form": form, "figures": figures})
