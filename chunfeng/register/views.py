"""Pages of the hardship households register (困难职工档案): the list, a file with its members
and history, writes by the keeping union's fillers and admins, and the bulk import.

Every household is reached through ``households_visible_to`` / ``household_for`` (outside the
user's subtree → 404); writes need ``can_edit_households`` (403 otherwise). ID numbers are
masked everywhere; a full number is shown only through the logged reveal."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from chunfeng.core.audit import audit_for
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.jobs.models import Job, JobStatus
from chunfeng.jobs.services import job_start
from chunfeng.orgunits.selectors import unit_for, units_visible_to

from . import importer
from .forms import EscapeForm, FilterForm, HouseholdForm, ImportForm, MappingForm, MemberForm
from .idnumbers import InvalidIdNumber, mask, parse_id
from .models import CAUSES, Household, HouseholdStatus
from .selectors import household_for, households_visible_to, shown_id
from .services import (
    can_edit_households,
    can_see_full_ids,
    household_create,
    household_escape,
    household_member_add,
    household_update,
)

PAGE_SIZE = 50
ERRORS_SHOWN = 200
SESSION_KEY = "register_imports"
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


def _editable_units(user):
    """Active units where the user may keep files (their subtree, if their role writes)."""
    if not user.is_authenticated or user.unit_id is None:
        return units_visible_to(user)
    if not can_edit_households(user, user.unit):
        return units_visible_to(user).none()
    return units_visible_to(user).filter(active=True)


def _editable_unit(user, code: str):
    unit = _editable_units(user).filter(code=code).first()
    if unit is None or not can_edit_households(user, unit):
        raise PermissionDenied(f"您不能为单位 {code} 建立或导入困难职工档案")
    return unit


def _require_edit(user, household: Household) -> None:
    if not can_edit_households(user, household.unit):
        raise PermissionDenied("您可以查看这份档案，但不能修改它")


def _as_id(text: str) -> str | None:
    """The normalised number when ``text`` is a full, valid ID number."""
    text = (text or "").strip()
    if len(text) < 15:
        return None
    try:
        return parse_id(text).number
    except InvalidIdNumber:
        return None


def _apply_service_error(form, exc: ApplicationError) -> None:
    """An ApplicationError on the form: under its field when the form has it."""
    placed = False
    for d in exc.details:
        if isinstance(d, dict) and d.get("field"):
            name = d["field"]
            message = d.get("message", exc.message)
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, f"{FIELD_LABELS.get(name, name)}：{message}")
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _error_summary(form) -> list[str]:
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
    id_query = _as_id(params["q"])
    if request.method == "POST" and id_query is None:
        query = urlencode({k: v for k, v in params.items() if v})
        return redirect(f"{reverse('household-list')}{'?' + query if query else ''}")
    households = households_visible_to(request.user)
    if params["status"] in HouseholdStatus.values:
        households = households.filter(status=params["status"])
    if params["category"]:
        households = households.filter(category=params["category"])
    if params["unit"]:
        unit = unit_for(request.user, params["unit"])
        households = households.filter(unit__path__startswith=unit.path)
    if id_query:
        households = households.filter(id_number=id_query)
        params["q"] = ""
        # the page's own links (the language switch) must not repeat the number
        request.META["QUERY_STRING"] = urlencode({k: v for k, v in params.items() if v})
    elif params["q"]:
        households = households.filter(name__icontains=params["q"])
    page = Paginator(households.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for household in page:
        household.masked_id = mask(household.id_number)
    filters = FilterForm(initial=params, units=units_visible_to(request.user))
    keep = urlencode({k: v for k, v in params.items() if v})
    return render(request, "register/household_list.html", {
        "page": page, "filters": filters, "keep": keep,
        "id_query": mask(id_query) if id_query else "",
        "can_edit": bool(_editable_units(request.user).exists()),
    })  # fmt: skip


def _detail_context(user, household: Household, **extra) -> dict:
    members = list(household.members.all())
    for member in members:
        member.masked_id = mask(member.id_number) if member.id_number else ""
    can_edit = can_edit_households(user, household.unit)
    return {
        "household": household, "masked_id": mask(household.id_number),
        "masked_bank": mask(household.bank_account) if household.bank_account else "",
        "causes": [CAUSES.get(c, c) for c in household.causes], "members": members,
        "history": _history(household), "can_edit": can_edit,
        "can_reveal": can_see_full_ids(user, household.unit),
        "member_form": MemberForm() if can_edit else None,
    } | extra  # fmt: skip


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
        events.append({
            "at": event.created_at, "actor": event.actor,
            "action": ACTIONS.get(event.action, event.action), "text": "；".join(text),
        })  # fmt: skip
    if not any(e["action"] == "建档" for e in events):  # a file from a bulk import
        events.append({"at": household.created_at, "actor": household.created_by,
                       "action": "建档（批量导入）", "text": ""})  # fmt: skip
    return events


@login_required
def household_detail(request, pk: int):
    household = household_for(request.user, pk)
    return render(request, "register/household_detail.html",
                  _detail_context(request.user, household))  # fmt: skip


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
    units = _editable_units(request.user)
    if not units.exists():
        raise PermissionDenied("您的角色不能建立困难职工档案")
    form = HouseholdForm(
        request.POST or None, units=units, initial={"unit": request.user.unit.code}
    )
    if request.method == "POST" and form.is_valid():
        unit = _editable_unit(request.user, form.cleaned_data["unit"])
        try:
            household = household_create(unit=unit, data=form.service_data(), actor=request.user)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            _apply_service_error(form, exc)
        else:
            messages.success(request, f"已为 {household.name} 建立困难职工档案")
            return redirect("household-detail", household.pk)
    return _form_page(request, form, title="新建困难职工档案")


def _form_page(request, form, *, title: str, household=None):
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "household": household,
               "summary": _error_summary(form) if form.is_bound else []}  # fmt: skip
    if household is not None:
        context["masked_id"] = mask(household.id_number)
    return render(request, "register/household_form.html", context, status=status)


@login_required
def household_edit(request, pk: int):
    household = household_for(request.user, pk)
    _require_edit(request.user, household)
    initial = {k: getattr(household, k) for k in HouseholdForm.base_fields if k not in
               ("unit", "id_number")}  # fmt: skip
    form = HouseholdForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            household_update(household=household, data=form.service_data(), actor=request.user)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            _apply_service_error(form, exc)
        else:
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
        try:
            household_escape(household=household, on=form.cleaned_data["escaped_on"],
                             reason=form.cleaned_data["escaped_reason"], actor=request.user)  # fmt: skip
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            _apply_service_error(form, exc)
        else:
            messages.success(request, f"已将 {household.name} 的档案标为脱困")
            return redirect("household-detail", household.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "register/household_escape.html", {
        "household": household, "form": form, "masked_id": mask(household.id_number),
        "summary": _error_summary(form) if form.is_bound else [],
    }, status=status)  # fmt: skip


@login_required
@require_POST
def member_add(request, pk: int):
    household = household_for(request.user, pk)
    _require_edit(request.user, household)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            member = household_member_add(household=household, data=form.cleaned_data,
                                          actor=request.user)  # fmt: skip
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ApplicationError as exc:
            _apply_service_error(form, exc)
        else:
            messages.success(request, f"已添加家庭成员 {member.name}")
            return redirect("household-detail", household.pk)
    context = _detail_context(request.user, household, member_form=form,
                              member_summary=_error_summary(form))  # fmt: skip
    return render(request, "register/household_detail.html", context, status=400)


# --- import -------------------------------------------------------------------------------------


def _states(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _state(request, token: str) -> dict:
    state = _states(request).get(token)
    if state is None:
        raise Http404("没有这次导入，或已过期，请重新上传文件")
    return state


def _save_state(request, token: str, state: dict) -> None:
    states = {k: v for k, v in _states(request).items() if k != token}
    states = dict(list(states.items())[-9:])  # the last ten imports of this session
    states[token] = state
    request.session[SESSION_KEY] = states


def _file(token: str, state: dict) -> importer.HouseholdFile:
    path = importer.stored_path(token, state["suffix"])
    if not path.exists():
        raise Http404("上传的文件已不存在，请重新上传")
    return importer.HouseholdFile(path, state["filename"])


def _import_units(user):
    units = _editable_units(user)
    if not units.exists():
        raise PermissionDenied("您的角色不能导入困难职工档案")
    return units


@login_required
def household_import(request):
    """Step 1: upload the file and choose the unit (the user's own by default)."""
    units = _import_units(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, units=units,
                      initial={"unit": request.user.unit.code})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        unit = _editable_unit(request.user, form.cleaned_data["unit"])
        upload = form.cleaned_data["file"]
        path = None
        try:
            token, path = importer.store_upload(upload)
            columns = importer.HouseholdFile(path, upload.name).header().columns
        except ApplicationError as exc:
            if path is not None:
                importer.discard_upload(path)
            form.add_error("file", exc.message)
        else:
            state = {"filename": Path(upload.name).name, "suffix": path.suffix,
                     "unit": unit.code, "columns": columns[:100]}  # fmt: skip
            mapping = importer.contract_mapping(columns)
            if mapping is None:
                _save_state(request, token, state)
                return redirect("household-import-map", token)
            return _start_check(request, token, state, mapping)
    status = 400 if request.method == "POST" else 200
    return render(request, "register/import_upload.html", {
        "form": form, "contract": importer.CONTRACT, "summary": _error_summary(form),
    }, status=status)  # fmt: skip


def _start_check(request, token: str, state: dict, mapping: dict):
    unit = _editable_unit(request.user, state["unit"])
    path = importer.stored_path(token, state["suffix"])
    job = job_start(
        kind="register.import.check", target="chunfeng.register.importer:check_job",
        params={"path": str(path), "filename": state["filename"], "mapping": mapping,
                "next_url": reverse("household-import-preview", args=[token])},
        actor=request.user, unit=unit,
    )  # fmt: skip
    state = {**state, "mapping": mapping, "check_job": job.pk}
    state.pop("import_job", None)
    _save_state(request, token, state)
    return redirect("household-import-preview", token)


@login_required
def household_import_map(request, token: str):
    """Step 2 (only when the headers are not the template's): which column is which."""
    _import_units(request.user)
    state = _state(request, token)
    columns = _file(token, state).header().columns
    if request.method == "POST":
        form = MappingForm(request.POST, columns=columns)
        if form.is_valid():
            mapping = form.mapping()
            problems = importer.mapping_problems(mapping, columns)
            if not problems:
                return _start_check(request, token, state, mapping)
            for problem in problems:
                form.add_error(None, problem)
    else:
        guess = state.get("mapping") or importer.guess_mapping(columns)
        form = MappingForm(initial=MappingForm.initial_for(guess), columns=columns)
    status = 400 if request.method == "POST" else 200
    return render(request, "register/import_map.html", {
        "form": form, "state": state, "token": token, "contract": importer.CONTRACT,
        "required": importer.REQUIRED,
    }, status=status)  # fmt: skip


def _job(user, pk) -> Job | None:
    return Job.objects.filter(pk=pk, created_by=user).first() if pk else None


@login_required
def household_import_preview(request, token: str):
    """Step 3: the first rows as they will be saved and every problem; then the commit, whose
    progress is shown here too."""
    _import_units(request.user)
    state = _state(request, token)
    check = _job(request.user, state.get("check_job"))
    if check is None:
        return redirect("household-import-map", token)
    done = check.status == JobStatus.DONE
    result = check.result if done else {}
    errors = result.get("errors", [])
    imported = _job(request.user, state.get("import_job"))
    can_commit = (done and not result.get("error_count") and result.get("valid", 0) > 0
                  and (imported is None or imported.status == JobStatus.FAILED))  # fmt: skip
    return render(request, "register/import_preview.html", {
        "token": token, "state": state, "check": check, "done": done, "result": result,
        "errors": errors[:ERRORS_SHOWN], "errors_more": result.get("error_count", 0) > ERRORS_SHOWN,
        "import_job": imported, "can_commit": can_commit,
        "columns": [(t, importer.column_label(i, state.get("columns", [])))
                    for t, i in state.get("mapping", {}).items() if i is not None],
    })  # fmt: skip


@login_required
@require_POST
def household_import_commit(request, token: str):
    """Step 4: the import itself, in the background, all or nothing."""
    _import_units(request.user)
    state = _state(request, token)
    check = _job(request.user, state.get("check_job"))
    if check is None or check.status != JobStatus.DONE or check.result.get("error_count"):
        messages.error(request, "文件还没有通过检查，不能导入")
        return redirect("household-import-preview", token)
    running = _job(request.user, state.get("import_job"))
    if running is not None and running.status != JobStatus.FAILED:
        return redirect("household-import-preview", token)
    unit = _editable_unit(request.user, state["unit"])
    path = _file(token, state).path
    job = job_start(
        kind="register.import", target="chunfeng.register.importer:import_job",
        params={"path": str(path), "filename": state["filename"], "mapping": state["mapping"],
                "next_url": f"{reverse('household-list')}?{urlencode({'unit': unit.code})}"},
        actor=request.user, unit=unit,
    )  # fmt: skip
    _save_state(request, token, {**state, "import_job": job.pk})
    return redirect("household-import-preview", token)


@login_required
def household_import_template(request):
    response = HttpResponse(
        importer.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, "困难职工名单模板.xlsx")
    return response
