"""Pages of the applications: the list (with the user's to-do), a new application filed by the
grassroots union for a worker, an application with its steps and the actions the user may take,
amending a returned one, the printed notice and the documents. Personal numbers are masked;
the steps are posted to ``step_views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chunfeng.core.personal import mask_bank, mask_id, mask_phone
from chunfeng.core.rules import (
    can_act_as_help_centre,
    can_handle_application,
    can_see_full_ids,
)
from chunfeng.core.web import attempt
from chunfeng.orgunits.selectors import unit_for

from . import forms as f
from .models import Status
from .printing import notice_pdf
from .selectors import (
    application_for,
    applications_filtered,
    document_for,
    regions,
    to_do,
    units_applying_for,
)
from .services import application_amend, application_create
from .standards import cause_labels
from .workflow import STEPS, may_take, next_step

PAGE_SIZE = 50
LABELS = {
    "members": "家庭成员",
    "income_items": "家庭月收入",
    "documents": "材料",
    "category": "困难类别",
}


@login_required
def application_list(request):
    status = request.GET.get("status", "")
    found = applications_filtered(request.user, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    waiting = {a.pk for a in to_do(request.user, rows)}
    for a in rows:
        a.masked_id, a.waiting = mask_id(a.id_number), a.pk in waiting
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": Status.choices,
        "can_apply": units_applying_for(request.user).exists(),
    }
    return render(request, "applications/application_list.html", context)


def _form(request, data=None, initial=None):
    return f.ApplicationForm(
        data,
        initial=initial,
        units=units_applying_for(request.user),
        regions=regions(),
        causes=cause_labels(),
    )


@login_required
def application_new(request):
    if not units_applying_for(request.user).exists():
        raise PermissionDenied(_("您的角色不能代职工提交建档申请"))
    initial = {"unit": request.user.unit.code, "region_code": request.user.unit.code[:6]}
    form = _form(request, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        unit = unit_for(request.user, form.cleaned_data["unit"])
        created = attempt(
            form,
            lambda: application_create(unit=unit, data=form.service_data(), actor=request.user),
            LABELS,
        )
        if created is not None:
            messages.success(
                request, _("已提交 %(name)s 的建档申请，待初审") % {"name": created.name}
            )
            return redirect("application-detail", created.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": "困难职工建档申请"}
    return render(request, "applications/application_form.html", context, status=status)


@login_required
def application_edit(request, pk: int):
    application = application_for(request.user, pk)
    if not may_take(request.user, application, "resubmit"):
        raise PermissionDenied(_("只有受理的基层工会可以修改退回的申请"))
    form = _form(request, request.POST or None, f.initial_of(application))
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: application_amend(
                application=application,
                data=form.service_data(),
                actor=request.user,
                version=form.cleaned_data.get("version"),
            ),
            LABELS,
        )
        if saved is not None:
            messages.success(request, _("已保存修改，请重新提交"))
            return redirect("application-detail", pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": f"修改申请：{application.name}", "application": application}
    return render(request, "applications/application_form.html", context, status=status)


def detail_context(request, application, **forms) -> dict:
    user = request.user
    full = can_see_full_ids(user, application.unit)
    members = list(application.members.all())
    for m in members:
        m.shown_id = mask_id(m.id_number) if m.id_number else ""
    causes = cause_labels()
    step = next_step(application)
    may = {a: may_take(user, application, a) for a in (*STEPS, "return", "resubmit")}
    may["documents"] = (
        can_handle_application(user, application.unit) and application.status != Status.APPROVED
    )
    may["objection"] = application.status == Status.NOTICE and (
        can_handle_application(user, application.unit)
        or can_act_as_help_centre(user, application.unit)
    )
    may["resolve"] = application.status == Status.NOTICE and can_act_as_help_centre(
        user, application.unit
    )
    may["files"] = may["documents"] or can_act_as_help_centre(user, application.unit)
    defaults = {
        "check_form": f.NoteForm(),
        "visit_form": f.VisitForm(),
        "review_form": f.NoteForm(),
        "verify_form": f.VerifyForm(),
        "notice_form": f.NoticeForm(),
        "approve_form": f.ApproveForm(),
        "return_form": f.ReturnForm(),
        "resubmit_form": f.NoteForm(),
        "objection_form": f.ObjectionForm(),
        "resolve_form": f.ResolveForm(),
        "document_form": f.DocumentForm(),
    }
    return (
        {
            "a": application,
            "masked_id": mask_id(application.id_number),
            "masked_bank": mask_bank(application.bank_account) if application.bank_account else "",
            "masked_phone": mask_phone(application.phone) if application.phone else "",
            "full_ids": full,
            "members": members,
            "main_cause": causes.get(application.main_cause, application.main_cause),
            "other_causes": [causes.get(c, c) for c in application.other_causes],
            "steps": list(application.steps.all()),
            "documents": list(application.documents.all()),
            "objections": list(application.objections.all()),
            "step": step,
            "may": may,
        }
        | defaults
        | forms
    )


@login_required
def application_detail(request, pk: int):
    application = application_for(request.user, pk)
    context = detail_context(request, application)
    return render(request, "applications/application_detail.html", context)


@login_required
def application_notice_pdf(request, pk: int):
    application = application_for(request.user, pk)
    response = HttpResponse(notice_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{application.pk}.pdf"'
    return response


@login_required
def application_document(request, pk: int, doc: int):
    """A document of the application: for the grassroots union and the help centre above."""
    document = document_for(request.user, pk, doc)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )
