"""The steps posted from an application's page: each reads its small form and calls the
workflow; a refusal is flashed and the page shown again (``back_on_error``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.rules import can_handle_application
from chunfeng.core.uploads import upload_page
from chunfeng.core.versions import version_from
from chunfeng.core.web import back_on_error

from . import forms as f
from . import workflow as w
from .filing import application_approve
from .selectors import application_for, objection_for
from .services import DOCUMENT_LIMIT, document_add
from .views import detail_context


def _back(request, pk: int, **_kwargs) -> str:
    return reverse("application-detail", args=[pk])


def _version(request) -> int | None:
    return version_from(request.POST.get("version"))


def _again(request, application, name: str, form):
    context = detail_context(request, application, **{name: form})
    return render(request, "applications/application_detail.html", context, status=400)


ACTIONS = {  # action → (form, call, done)
    "check": (f.NoteForm, lambda a, u, c, v: w.application_check(
        application=a, actor=u, note=c["note"], version=v), "初审通过，待入户调查"),
    "visit": (f.VisitForm, lambda a, u, c, v: w.application_visit(
        application=a, actor=u, version=v, **c), "已记录入户调查，报上级审核"),
    "review": (f.NoteForm, lambda a, u, c, v: w.application_review(
        application=a, actor=u, note=c["note"], version=v), "审核通过，待经济状况核对"),
    "verify": (f.VerifyForm, lambda a, u, c, v: w.application_verify(
        application=a, actor=u, version=v, **c), "已记录家庭经济状况核对结果"),
    "notice": (f.NoticeForm, lambda a, u, c, v: w.application_notice(
        application=a, actor=u, start=c["start"], version=v), "已开始公示"),
    "approve": (f.ApproveForm, lambda a, u, c, v: application_approve(
        application=a, actor=u, on=c["on"], note=c["note"], version=v), "已审批，建立困难职工档案"),
    "return": (f.ReturnForm, lambda a, u, c, v: w.application_return(
        application=a, actor=u, reason=c["reason"], version=v), "已退回基层工会"),
    "resubmit": (f.NoteForm, lambda a, u, c, v: w.application_resubmit(
        application=a, actor=u, note=c["note"], version=v), "已重新提交"),
}  # fmt: skip


@login_required
@require_POST
@back_on_error(_back)
def application_act(request, pk: int, action: str):
    application = application_for(request.user, pk)
    if action not in ACTIONS:
        raise PermissionDenied(_("没有这个操作"))
    form_class, call, done = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        return _again(request, application, f"{action}_form", form)
    call(application, request.user, form.cleaned_data, _version(request))
    messages.success(request, done)
    return redirect("application-detail", pk)


@login_required
@require_POST
@back_on_error(_back)
def objection_add_view(request, pk: int):
    application = application_for(request.user, pk)
    form = f.ObjectionForm(request.POST)
    if not form.is_valid():
        return _again(request, application, "objection_form", form)
    w.objection_add(application=application, actor=request.user, **form.cleaned_data)
    messages.success(request, _("已登记异议"))
    return redirect("application-detail", pk)


@login_required
@require_POST
@back_on_error(_back)
def objection_resolve_view(request, pk: int, objection: int):
    application = application_for(request.user, pk)
    found = objection_for(application, objection)
    form = f.ResolveForm(request.POST)
    if not form.is_valid():
        return _again(request, application, "resolve_form", form)
    w.objection_resolve(objection=found, actor=request.user, **form.cleaned_data)
    messages.success(request, _("已记录异议核实结果"))
    return redirect("application-detail", pk)


def _may_upload(request, pk: int) -> None:
    application = application_for(request.user, pk)
    if not can_handle_application(request.user, application.unit):
        raise PermissionDenied(_("只有受理的基层工会可以上传申请材料"))


@login_required
@require_POST
@upload_page(limit=DOCUMENT_LIMIT, permit=_may_upload)
@back_on_error(_back)
def document_upload_view(request, pk: int):
    application = application_for(request.user, pk)
    form = f.DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _again(request, application, "document_form", form)
    document_add(
        application=application,
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
        actor=request.user,
    )
    messages.success(request, _("已上传材料"))
    return redirect("application-detail", pk)
