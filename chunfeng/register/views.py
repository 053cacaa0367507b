"""Pages of the hardship households register (困难职工档案): the list, a file with its members
and history, and writes by the keeping union's fillers and admins (the import is in
``import_views``).

Every household is reached through ``households_visible_to`` / ``household_for`` (outside the
user's subtree → 404); writes need ``can_edit_households`` (403 otherwise). ID numbers are
masked everywhere; a full number is shown only through the logged reveal."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chunfeng.core.audit import audit_for
from chunfeng.core.personal import mask_bank, mask_id
from chunfeng.core.rules import can_edit_households, can_see_full_ids
from chunfeng.core.web import attempt
from chunfeng.orgunits.selectors import unit_for, units_visible_to

from .forms import EscapeForm, FilterForm, HouseholdForm, MemberForm
from .models import CAUSES, Household, HouseholdStatus
from .selectors import (
    editable_unit_of,
    editable_units,
    full_id_number,
    household_for,
    households_matching,
    shown_id,
)
from .services import (
    household_create,
    household_escape,
    household_member_add,
    household_update,
)

PAGE_SIZE = 50
FIELD_LABELS = {
    "name": "姓名", "id_number": "身份证号码", "phone": "联系电话", "employer": "工作单位",
    "category": "困难类别", "family_size": "家庭人口", "income": "家庭月人均收入",
    "is_migrant": "农民工", "is_model_worker": "劳模", "is_laid_off": "下岗失业",
    "causes": "致困原因", "bank_account": "银行卡号", "escaped_reason": "脱困原因",
    "members": "家庭成员", "relation": "与户主关系", "unit": "建档单位",
}  # fmt: skip
ACTIONS = {
    "household.create": "建档", "household.update": "修改", "household.escape": "脱困",
    "household.member_add": "添加家庭成员",
}  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------


def editable_unit(user, code: str):
    """The posted unit where the user means to keep files: 403 when they may not."""
    unit = editable_unit_of(user, code)
    if unit is None:
        raise PermissionDenied(f"您不能为单位 {code} 建立或导入困难职工档案")
    return unit


def _require_edit(user, household: Household) -> None:
    if not can_edit_households(user, household.unit):
        raise PermissionDenied("您可以查看这份档案，但不能修改它")


def error_summary(form) -> list[str]:
    """Each problem of a form as “字段：原因”."""
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out.extend(f"{label}：{e}" if label else str(e) for e in errors)
    return out


# --- list and detail ------------------------------------------------------------------------

FILTERS = ("q", "status", "category", "unit")


@login_required
def household_list(request):
    """Filters by status, category and unit (with its subtree); search by name or by a full
    ID number. A search by ID number is posted, so the number stays out of URLs and logs."""
    source = request.POST if request.method == "POST" else request.GET
    params = {k: source.get(k, "").strip() for k in FILTERS}
    id_query = full_id_number(params["q"])
    if request.method == "POST" and id_query is None:
        query = urlencode({k: v for k, v in params.items() if v})
        return redirect(f"{reverse('household-list')}{'?' + query if query else ''}")
    households = households_matching(
        request.user,
        unit=unit_for(request.user, params["unit"]) if params["unit"] else None,
        status=params["status"] if params["status"] in HouseholdStatus.values else None,
        category=params["category"] or None,
        q=params["q"],
    )
    if id_query:
        params["q"] = ""
        # the page's own links (the language switch) must not repeat the number
        request.META["QUERY_STRING"] = urlencode({k: v for k, v in params.items() if v})
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    for household in page:
        household.masked_id = mask_id(household.id_number)
    filters = FilterForm(initial=params, units=units_visible_to(request.user))
    context = {
        "page": page,
        "filters": filters,
        "keep": urlencode({k: v for k, v in params.items() if v}),
        "id_query": mask_id(id_query) if id_query else "",
        "can_edit": editable_units(request.user).exists(),
    }
    return render(request, "register/household_list.html", context)


def _detail_context(user, household: Household, **extra) -> dict:
    members = list(household.members.all())
    for member in members:
        member.masked_id = mask_id(member.id_number) if member.id_number else ""
    can_edit = can_edit_households(user, household.unit)
    return {
        "household": household,
        "masked_id": mask_id(household.id_number),
        "masked_bank": mask_bank(household.bank_account) if household.bank_account else "",
        "causes": [CAUSES.get(c, c) for c in household.causes],
        "members": members,
        "history": _history(household),
        "can_edit": can_edit,
        "can_reveal": can_see_full_ids(user, household.unit),
        "member_form": MemberForm() if can_edit else None,
    } | extra


def _history(household: Household) -> list[dict]:
    events = []
    for event in audit_for(household)[:100]:
        details = event.details or {}
        text = []
        for key, (old, new) in (details.get("changes") or {}).items():
            text.append(f"{FIELD_LABELS.get(key, key)}：{old} → {new}")
        if event.action == "household.escape":
            text.append(f"{details.get('on', '')} {details.get('reason', '')}")
        if event.action == "household.member_add":
            text.append(" ".join(str(details.get(k, "")) for k in ("name", "relation", "id")))
        events.append(
            {
                "at": event.created_at,
                "actor": event.who,
                "action": ACTIONS.get(event.action, event.action),
                "text": "；".join(text),
            }
        )
    if not any(e["action"] == "建档" for e in events):  # a file from a bulk import
        events.append(
            {
                "at": household.created_at,
                "actor": household.created_by or "系统",
                "action": "建档（批量导入）",
                "text": "",
            }
        )
    return events


@login_required
def household_detail(request, pk: int):
    household = household_for(request.user, pk)
    return render(
        request, "register/household_detail.html", _detail_context(request.user, household)
    )


@login_required
@require_POST
def household_reveal(request, pk: int):
    """The full ID number, for users whose role needs it; every reveal is logged."""
    household = household_for(request.user, pk)
    if not can_see_full_ids(request.user, household.unit):
        raise PermissionDenied("您的角色不能查看完整身份证号码")
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
        raise PermissionDenied("您的角色不能建立困难职工档案")
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
            messages.success(request, f"已为 {household.name} 建立困难职工档案")
            return redirect("household-detail", household.pk)
    return _form_page(request, form, title="新建困难职工档案")


def _form_page(request, form, *, title: str, household=None):
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "title": title,
        "household": household,
        "summary": error_summary(form) if form.is_bound else [],
    }
    if household is not None:
        context["masked_id"] = mask_id(household.id_number)
    return render(request, "register/household_form.html", context, status=status)


@login_required
def household_edit(request, pk: int):
    household = household_for(request.user, pk)
    _require_edit(request.user, household)
    initial = {
        k: getattr(household, k)
        for k in HouseholdForm.base_fields
        if k not in ("unit", "id_number")
    }
    form = HouseholdForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: household_update(
                household=household, data=form.service_data(), actor=request.user
            ),
            FIELD_LABELS,
        )
        if saved is not None:
            messages.success(request, f"已保存 {household.name} 的档案")
            return redirect("household-detail", household.pk)
    return _form_page(request, form, title=f"修改档案：{household.name}", household=household)


@login_required
def household_escape_view(request, pk: int):
    household = household_for(request.user, pk)
    _require_edit(request.user, household)
    if household.status != HouseholdStatus.ACTIVE:
        messages.error(request, "这份档案已经是脱困状态")
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
            messages.success(request, f"已将 {household.name} 的档案标为脱困")
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
            messages.success(request, f"已添加家庭成员 {member.name}")
            return redirect("household-detail", household.pk)
    context = _detail_context(
        request.user, household, member_form=form, member_summary=error_summary(form)
    )
    return render(request, "register/household_detail.html", context, status=400)
