"""Pages of the hardship households register (困难职工档案): the list, a file with its members
and history, and writes by the keeping union's fillers and admins (the import is in
``import_views``).

Every household is reached through ``households_visible_to`` / ``household_for`` (outside the
user's subtree → 404); writes need ``can_edit_households`` (403 otherwise). ID, bank and phone
numbers are masked everywhere, the history included; a full ID number is shown only through the
logged reveal. A search by ID number is posted and continues as its search token (contract (b)).
An edit is saved only onto the version it was read at (contract (c)); the changes a reviewer
decides and the history's sealed values are in ``review_views``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.panels import collect, render_panels
from chunfeng.core.personal import mask_bank, mask_id, mask_phone
from chunfeng.core.rules import (
    can_approve_personal_change,
    can_audit,
    can_edit_households,
    can_see_full_ids,
)
from chunfeng.core.versions import Stale
from chunfeng.core.web import apply_errors, attempt, caught

from .forms import EscapeForm, FilterForm, HouseholdForm, MemberForm
from .history import FIELD_LABELS, household_history
from .list_export import (
    XLSX,
    export_list,
    file_name,
    list_export_start,
    list_is_large,
    logged_filters,
    rows_in_request,
)
from .models import CAUSES, Household, HouseholdStatus
from .selectors import (
    LIST_FILTERS,
    editable_unit_of,
    editable_units,
    filter_units,
    household_for,
    households_listed,
    id_token_of,
    keyset_page,
    pending_changes_of,
    shown_id,
)
from .services import (
    household_create,
    household_escape,
    household_member_add,
    household_update,
)

PAGE_SIZE = 50
# the list counts its files up to here; past it the page says "more than" and offers the exact
# count on request (a count over a province's million files is most of the page's time)
COUNT_CAP = 10_000


# --- helpers ---------------------------------------------------------------------------------


def editable_unit(user, code: str):
    """The posted unit where the user means to keep files: 403 when they may not."""
    unit = editable_unit_of(user, code)
    if unit is None:
        raise PermissionDenied(_("您不能为单位 %(code)s 建立或导入困难职工档案") % {"code": code})
    return unit


def _require_edit(user, household: Household) -> None:
    if not can_edit_households(user, household.unit):
        raise PermissionDenied(_("您可以查看这份档案，但不能修改它"))


def error_summary(form) -> list[str]:
    """Each problem of a form as “字段：原因”."""
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out.extend(f"{label}：{e}" if label else str(e) for e in errors)
    return out


# --- list and detail ------------------------------------------------------------------------


def _pk_param(text: str | None) -> int | None:
    return int(text) if text and text.isdecimal() and len(text) < 19 else None


@login_required
def household_list(request):
    """Filters by status, category and unit (with its subtree); search by name or by a full
    ID number. The search is posted and the page comes back by a redirect whose URL carries
    the number's search token (``id_token``), never the number: URLs reach access logs,
    browser histories and proxies."""
    source = request.POST if request.method == "POST" else request.GET
    params = {k: source.get(k, "").strip() for k in LIST_FILTERS}
    token = id_token_of(params["q"])
    if request.method == "POST" or token:  # a number typed into the URL by hand goes too
        if token:
            params["q"], params["id_token"] = "", token
        query = urlencode({k: v for k, v in params.items() if v})
        return redirect(f"{reverse('household-list')}{'?' + query if query else ''}")
    chosen, households = households_listed(request.user, params)
    keep = urlencode({k: v for k, v in params.items() if v})
    exact = request.GET.get("count") == "exact"
    if exact and request.headers.get("HX-Request"):  # the count alone, asked by its button
        count = households.count()
        return render(request, "register/_list_count.html", {"count": count, "keep": keep})
    page = keyset_page(
        households,
        size=PAGE_SIZE,
        before=_pk_param(request.GET.get("before")),
        after=_pk_param(request.GET.get("after")),
        cap=None if exact else COUNT_CAP,
    )
    # the applications app marks the files whose yearly review is overdue (a panel slot)
    file_panels, marks = collect("household.list", request, households=list(page))
    for household in page:
        household.masked_id = mask_id(household.id_number)
        household.review_overdue = household.pk in marks.get("overdue", ())
    filters = FilterForm(initial=params, units=filter_units(request.user, chosen))
    found = page.object_list[0] if params["id_token"] and page.object_list else None
    context = {
        "page": page,
        "count": page.count,
        "capped": page.capped,
        "filters": filters,
        "keep": keep,
        "id_search": bool(params["id_token"]),
        "id_query": found.masked_id if found is not None else "",
        "can_edit": editable_units(request.user).exists(),
        "can_export_full": can_see_full_ids(request.user, chosen or request.user.unit),
        "export_in_background": page.capped or page.count > rows_in_request(),
        "kept": [(k, v) for k, v in params.items() if v],
        "file_panels": file_panels,
    }
    return render(request, "register/household_list.html", context)


@login_required
def household_list_export(request):
    """The list as filtered, as xlsx (``list_export``): masked by a link (GET); full numbers by
    a posted form, for a role that may see them at the list's scope — logged. A list longer
    than ``CHUNFENG_EXPORT_IN_REQUEST_ROWS`` is made by a worker: a GET offers it, a POST
    starts the job and shows its panel, which offers the download when it is done."""
    source = request.POST if request.method == "POST" else request.GET
    params = {k: source.get(k, "").strip() for k in LIST_FILTERS}
    chosen, households = households_listed(request.user, params)
    full = request.method == "POST" and source.get("full") == "1"
    if full and not can_see_full_ids(request.user, chosen or request.user.unit):
        raise PermissionDenied(_("您的角色不能导出完整的身份证、电话和银行卡号码"))
    if list_is_large(households):
        context = {"kept": [(k, v) for k, v in params.items() if v], "full": full}
        if request.method == "POST":
            context["job"] = list_export_start(user=request.user, params=params, full=full)
        return render(request, "register/list_export_job.html", context)
    out = export_list(request.user, households, full=full, filters=logged_filters(params))
    return FileResponse(out, as_attachment=True, filename=file_name(), content_type=XLSX)


def _detail_context(user, household: Household, **extra) -> dict:
    members = list(household.members.all())
    for member in members:
        member.masked_id = mask_id(member.id_number) if member.id_number else ""
    can_edit = can_edit_households(user, household.unit)
    return {
        "household": household,
        "masked_id": mask_id(household.id_number),
        "masked_bank": mask_bank(household.bank_account) if household.bank_account else "",
        "masked_phone": mask_phone(household.phone) if household.phone else "",
        "causes": [CAUSES.get(c, c) for c in household.causes],
        "members": members,
        "history": household_history(household),
        "pending": list(pending_changes_of(household)),
        "can_edit": can_edit,
        "can_reveal": can_see_full_ids(user, household.unit),
        "can_audit": can_audit(user, household.unit),
        "can_decide": can_approve_personal_change(user, household.unit),
        "member_form": MemberForm() if can_edit else None,
    } | extra


@login_required
def household_detail(request, pk: int):
    household = household_for(request.user, pk)
    context = _detail_context(request.user, household)
    context["file_panels"] = render_panels("household.detail", request, household=household)
    return render(request, "register/household_detail.html", context)


@login_required
@require_POST
def household_reveal(request, pk: int):
    """The full ID number, for users whose role needs it; every reveal is logged."""
    household = household_for(request.user, pk)
    if not can_see_full_ids(request.user, household.unit):
        raise PermissionDenied(_("您的角色不能查看完整身份证号码"))
    number = shown_id(request.user, household, reveal=True)
    if request.headers.get("HX-Request"):
        return render(request, "register/_id_number.html", {"number": number, "revealed": True})
    context = _detail_context(request.user, household, masked_id=number, revealed=True)
    return render(request, "register/household_detail.html", context)


# --- writes -------------------------------------------------------------------------------------


@login_required
def household_new(request):
    units = editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您的角色不能建立困难职工档案"))
    form = HouseholdForm(
        request.POST or None, units=units, initial={"unit": request.user.unit.code}
    )
    if request.method == "POST" and form.is_valid():
        unit = editable_unit(request.user, form.cleaned_data["unit"])
        household = attempt(
            form,
            lambda: household_create(unit=unit, data=form.service_data(), actor=request.user),
            FIELD_LABELS,
        )
        if household is not None:
            messages.success(
                request, _("已为 %(household)s 建立困难职工档案") % {"household": household.name}
            )
            return redirect("household-detail", household.pk)
    return _form_page(request, form, title="新建困难职工档案")


def _form_page(request, form, *, title: str, household=None, status=None):
    status = status or (400 if request.method == "POST" else 200)
    context = {
        "form": form,
        "title": title,
        "household": household,
        "summary": error_summary(form) if form.is_bound else [],
    }
    if household is not None:
        context["masked_id"] = mask_id(household.id_number)
        context["masked_bank"] = mask_bank(household.bank_account)
        context["pending"] = list(pending_changes_of(household))
    return render(request, "register/household_form.html", context, status=status)


@login_required
def household_edit(request, pk: int):
    """The hidden ``version`` is the household's as the form was shown: a save onto a newer
    one is refused with 409, the page shown again with what was typed and what changed. A new
    bank account or ID number is asked for, and applied once a reviewer approves it."""
    household = household_for(request.user, pk)
    _require_edit(request.user, household)
    initial = {
        k: getattr(household, k)
        for k in HouseholdForm.base_fields
        if k not in ("unit", "id_number", "bank_account", "version")
    }
    form = HouseholdForm(
        request.POST or None, initial=initial | {"version": household.version}, editing=True
    )
    status = None
    if request.method == "POST" and form.is_valid():
        saved, error = caught(
            lambda: household_update(
                household=household,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
                actor=request.user,
            )
        )
        if saved is not None:
            _saved_messages(request, saved)
            return redirect("household-detail", household.pk)
        apply_errors(form, error, FIELD_LABELS)
        if isinstance(error, Stale):  # the next save is made knowing the other's edit
            form.data = form.data.copy()
            form.data["version"] = str(error.current)
            messages.error(request, error.message)
            status = 409
    return _form_page(
        request, form, title=f"修改档案：{household.name}", household=household, status=status
    )


def _saved_messages(request, household) -> None:
    messages.success(request, _("已保存 %(household)s 的档案") % {"household": household.name})
    for change in household.asked:
        messages.info(
            request,
            f"{change.get_field_display()}改为 {change.masked} 的申请已提交，须经审核员批准后生效",
        )


@login_required
def household_escape_view(request, pk: int):
    household = household_for(request.user, pk)
    _require_edit(request.user, household)
    if household.status != HouseholdStatus.ACTIVE:
        messages.error(request, _("这份档案已经是脱困状态"))
        return redirect("household-detail", household.pk)
    form = EscapeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        escaped = attempt(
            form,
            lambda: household_escape(
                household=household,
                on=form.cleaned_data["escaped_on"],
                reason=form.cleaned_data["escaped_reason"],
                actor=request.user,
            ),
            FIELD_LABELS,
        )
        if escaped is not None:
            messages.success(
                request, _("已将 %(household)s 的档案标为脱困") % {"household": household.name}
            )
            return redirect("household-detail", household.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "register/household_escape.html",
        {
            "household": household,
            "form": form,
            "masked_id": mask_id(household.id_number),
            "summary": error_summary(form) if form.is_bound else [],
        },
        status=status,
    )


@login_required
@require_POST
def member_add(request, pk: int):
    household = household_for(request.user, pk)
    _require_edit(request.user, household)
    form = MemberForm(request.POST)
    if form.is_valid():
        member = attempt(
            form,
            lambda: household_member_add(
                household=household, data=form.cleaned_data, actor=request.user
            ),
            FIELD_LABELS,
        )
        if member is not None:
            messages.success(request, _("已添加家庭成员 %(member)s") % {"member": member.name})
            return redirect("household-detail", household.pk)
    context = _detail_context(
        request.user, household, member_form=form, member_summary=error_summary(form)
    )
    return render(request, "register/household_detail.html", context, status=400)
