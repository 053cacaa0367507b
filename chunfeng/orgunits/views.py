from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.rules import can_manage
from chunfeng.core.uploads import SHORT_LIST, upload_page
from chunfeng.core.web import attempt, caught

from .decorators import admin_required, managed_unit, require_admin
from .forms import UnitCreateForm, UnitImportForm, UnitMoveForm, UnitRetireForm
from .importers import rows_from_upload, template_csv
from .selectors import admin_unit_choices, units_visible_to
from .services import IMPORT_COLUMNS, orgunit_create, orgunit_import, orgunit_move, orgunit_retire


def _tree(user) -> list:
    units = list(units_visible_to(user))
    base = user.unit.depth if user.unit_id else 0
    for unit in units:
        unit.indent = unit.depth - base
    return units


def _form(cls, user, data=None):
    """An admin form with its unit choices: active units of the admin's subtree."""
    units = admin_unit_choices(user)
    parents, below = units["parents"], units["below"]
    choices = {
        UnitCreateForm: {"parent": parents},
        UnitMoveForm: {"unit": below, "new_parent": parents},
        UnitRetireForm: {"unit": below},
    }
    return cls(data, choices=choices[cls])


def _admin_forms(user, bound: dict) -> dict:
    forms = {
        "create_form": _form(UnitCreateForm, user),
        "move_form": _form(UnitMoveForm, user),
        "retire_form": _form(UnitRetireForm, user),
    }
    return forms | bound


def _render_list(request, *, status=200, **bound):
    context = {"units": _tree(request.user)}
    if request.user.unit_id and can_manage(request.user, request.user.unit):
        context |= _admin_forms(request.user, bound)
    return render(request, "orgunits/unit_list.html", context, status=status)


def _attempt(request, name: str, form, action, success: str):
    """Run a service; its ApplicationError is shown on the form, success as a message."""
    unit = attempt(form, action)
    if unit is None:
        return _render_list(request, status=400, **{name: form})
    messages.success(request, success % {"unit": unit})
    return redirect("unit-list")


@login_required
def unit_list(request):
    return _render_list(request)


@admin_required
@require_POST
def unit_create(request):
    form = _form(UnitCreateForm, request.user, request.POST)
    if not form.is_valid():
        return _render_list(request, status=400, create_form=form)
    data = form.cleaned_data
    parent = managed_unit(request.user, data["parent"])
    fields = {k: data[k] for k in ("code", "name", "kind", "contact_person", "contact_phone")}
    return _attempt(
        request,
        "create_form",
        form,
        lambda: orgunit_create(parent=parent, actor=request.user, **fields),
        _("已新增单位 %(unit)s"),
    )


@admin_required
@require_POST
def unit_move(request):
    form = _form(UnitMoveForm, request.user, request.POST)
    if not form.is_valid():
        return _render_list(request, status=400, move_form=form)
    unit = managed_unit(request.user, form.cleaned_data["unit"])
    new_parent = managed_unit(request.user, form.cleaned_data["new_parent"])
    return _attempt(
        request,
        "move_form",
        form,
        lambda: orgunit_move(unit=unit, new_parent=new_parent, actor=request.user),
        _("已调整 %(unit)s 的上级单位"),
    )


@admin_required
@require_POST
def unit_retire(request):
    form = _form(UnitRetireForm, request.user, request.POST)
    if not form.is_valid():
        return _render_list(request, status=400, retire_form=form)
    unit = managed_unit(request.user, form.cleaned_data["unit"])
    return _attempt(
        request,
        "retire_form",
        form,
        lambda: orgunit_retire(unit=unit, on=form.cleaned_data["on"], actor=request.user),
        _("已撤销单位 %(unit)s"),
    )


@admin_required
@upload_page(limit=SHORT_LIST, permit=require_admin)
def unit_import(request):
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return _render_import(request, form, status=400 if request.method == "POST" else 200)
    upload = form.cleaned_data["file"]
    created, error = caught(
        lambda: orgunit_import(rows=rows_from_upload(upload), actor=request.user)
    )
    if error is not None:
        return _render_import(request, form, error=error, status=400)
    messages.success(request, _("导入成功，共新增 %(count)d 个单位") % {"count": len(created)})
    return redirect("unit-list")


def _render_import(request, form, *, error=None, status=200):
    context = {"form": form, "error": error, "columns": IMPORT_COLUMNS}
    return render(request, "orgunits/unit_import.html", context, status=status)


@admin_required
def unit_import_template(request):
    response = HttpResponse(
        template_csv(parent_code=request.user.unit.code), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, "单位导入模板.csv")
    return response
