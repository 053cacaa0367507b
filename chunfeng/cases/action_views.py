"""The buttons of a case page: each posts one form to one service and comes back to the case.
A refusal the user can act on is flashed (``back_on_error``); a form that does not read is
shown again on the case page with its problems; ``NotPermitted`` is the 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.versions import version_from
from chunfeng.core.web import back_on_error
from chunfeng.funds.selectors import funds_campaign_for, funds_campaigns_visible_to
from chunfeng.register.selectors import active_household_of, full_id_number

from . import forms as f
from .attachments import attachment_add
from .handling import (
    case_close,
    case_reopen,
    case_return_visit,
    extension_decide,
    extension_request,
)
from .help import case_aid_pay, case_household_link
from .selectors import attachment_for, case_for, extension_for, transfer_targets, unit_by_code
from .services import case_acknowledge, case_log, case_transfer
from .views import detail_context


def _back(request, pk: int, **_kwargs) -> str:
    return reverse("case-detail", args=[pk])


def _version(request) -> int | None:
    return version_from(request.POST.get("version"))


def _again(request, case, name: str, form):
    """The case page again, with the form that did not read and its problems."""
    context = detail_context(request, case, **{name: form})
    return render(request, "cases/case_detail.html", context, status=400)


def _done(request, pk: int, text: str):
    messages.success(request, text)
    return redirect("case-detail", pk)


@login_required
@require_POST
@back_on_error(_back)
def case_acknowledge_view(request, pk: int):
    case = case_for(request.user, pk)
    case_acknowledge(case=case, actor=request.user, version=_version(request))
    return _done(request, pk, "已签收")


@login_required
@require_POST
@back_on_error(_back)
def case_transfer_view(request, pk: int):
    case = case_for(request.user, pk)
    units = transfer_targets(request.user, case)
    form = f.TransferForm(request.POST, units=units)
    if not form.is_valid():
        return _again(request, case, "transfer_form", form)
    to = unit_by_code(units, form.cleaned_data["unit"])
    reason = form.cleaned_data["reason"]
    case_transfer(case=case, to=to, reason=reason, actor=request.user, version=_version(request))
    return _done(request, pk, f"已转至{to.name}")


@login_required
@require_POST
@back_on_error(_back)
def case_log_view(request, pk: int):
    case = case_for(request.user, pk)
    form = f.LogForm(request.POST)
    if not form.is_valid():
        return _again(request, case, "log_form", form)
    case_log(case=case, actor=request.user, **form.cleaned_data)
    return _done(request, pk, "已记录办理情况")


@login_required
@require_POST
@back_on_error(_back)
def case_extend_view(request, pk: int):
    case = case_for(request.user, pk)
    form = f.ExtensionForm(request.POST)
    if not form.is_valid():
        return _again(request, case, "extension_form", form)
    extension_request(case=case, actor=request.user, **form.cleaned_data)
    return _done(request, pk, "已提交延期申请，待上级工会审批")


@login_required
@require_POST
@back_on_error(_back)
def case_extension_decide_view(request, pk: int, extension_pk: int):
    case = case_for(request.user, pk)
    extension = extension_for(case, extension_pk)
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        return _again(request, case, "decision_form", form)
    extension_decide(extension=extension, actor=request.user, **form.cleaned_data)
    return _done(request, pk, "已审批延期申请")


@login_required
@require_POST
@back_on_error(_back)
def case_close_view(request, pk: int):
    case = case_for(request.user, pk)
    form = f.CloseForm(request.POST)
    if not form.is_valid():
        return _again(request, case, "close_form", form)
    case_close(case=case, actor=request.user, version=_version(request), **form.cleaned_data)
    return _done(request, pk, "已办结")


@login_required
@require_POST
@back_on_error(_back)
def case_visit_view(request, pk: int):
    case = case_for(request.user, pk)
    form = f.VisitForm(request.POST)
    if not form.is_valid():
        return _again(request, case, "visit_form", form)
    case_return_visit(case=case, actor=request.user, **form.cleaned_data)
    return _done(request, pk, "已记录回访")


@login_required
@require_POST
@back_on_error(_back)
def case_reopen_view(request, pk: int):
    case = case_for(request.user, pk)
    form = f.ReopenForm(request.POST)
    if not form.is_valid():
        return _again(request, case, "reopen_form", form)
    case_reopen(case=case, actor=request.user, version=_version(request), **form.cleaned_data)
    return _done(request, pk, "已重新办理")


# --- help -------------------------------------------------------------------------------------


@login_required
@require_POST
@back_on_error(_back)
def case_household_view(request, pk: int):
    """Link the worker's file the register holds in the user's subtree. A new file is not
    opened here: 建档 goes through an application (``apply_views``)."""
    case = case_for(request.user, pk)
    form = f.HouseholdFromCaseForm(request.POST)
    if not form.is_valid():
        return _again(request, case, "household_form", form)
    number = full_id_number(form.cleaned_data["id_number"] or case.caller_id_number)
    existing = active_household_of(request.user, number) if number else None
    if existing is not None:
        case_household_link(case=case, household=existing, actor=request.user)
        return _done(request, pk, f"已关联{existing.name}的困难职工档案")
    messages.error(request, _("本单位及下级没有这位职工在档的困难职工档案；请代职工提交建档申请"))
    return redirect("case-detail", pk)


@login_required
@require_POST
@back_on_error(_back)
def case_pay_view(request, pk: int):
    case = case_for(request.user, pk)
    form = f.PayForm(request.POST, campaigns=funds_campaigns_visible_to(request.user))
    if not form.is_valid():
        return _again(request, case, "pay_form", form)
    data = dict(form.cleaned_data)
    campaign = funds_campaign_for(request.user, data.pop("campaign"))
    line = case_aid_pay(case=case, campaign=campaign, actor=request.user, **data)
    for text in line.messages:
        messages.warning(request, text)
    return _done(request, pk, f"已发放 {line.amount} 元（批次“{line.batch.name}”）")


@login_required
@require_POST
@back_on_error(_back)
def case_attach_view(request, pk: int):
    case = case_for(request.user, pk)
    form = f.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _again(request, case, "attachment_form", form)
    attachment = attachment_add(case=case, upload=form.cleaned_data["file"], actor=request.user)
    return _done(request, pk, f"已上传附件 {attachment.original_name}")


@login_required
def case_attachment_view(request, pk: int, attachment_pk: int):
    case = case_for(request.user, pk)
    attachment = attachment_for(case, attachment_pk)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )
