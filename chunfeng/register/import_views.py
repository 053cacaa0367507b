"""The household import pages: upload, map the columns, check (preview), import — the check
and the import run as background jobs (``import_jobs``) whose progress the page shows."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.uploads import HOUSEHOLD_LIST, upload_page
from chunfeng.core.web import caught
from chunfeng.jobs.models import JobStatus
from chunfeng.jobs.selectors import job_of
from chunfeng.jobs.services import job_start

from .forms import ImportForm, MappingForm
from .import_jobs import accept_upload, stored_columns, stored_path, upload_exists
from .listfile import (
    CONTRACT,
    REQUIRED,
    column_label,
    contract_mapping,
    guess_mapping,
    mapping_problems,
    template_xlsx,
)
from .selectors import editable_units
from .views import editable_unit, error_summary

ERRORS_SHOWN = 200
SESSION_KEY = "register_imports"


def _states(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _state(request, token: str) -> dict:
    state = _states(request).get(token)
    if state is None:
        raise Http404(_("没有这次导入，或已过期，请重新上传文件"))
    return state


def _save_state(request, token: str, state: dict) -> None:
    states = {k: v for k, v in _states(request).items() if k != token}
    states = dict(list(states.items())[-9:])  # the last ten imports of this session
    states[token] = state
    request.session[SESSION_KEY] = states


def _stored(token: str, state: dict):
    """The stored name of the import's upload (404 once it is gone)."""
    name = stored_path(token, state["suffix"])
    if not upload_exists(name):
        raise Http404(_("上传的文件已不存在，请重新上传"))
    return name


def _import_units(user):
    units = editable_units(user)
    if not units.exists():
        raise PermissionDenied(_("您的角色不能导入困难职工档案"))
    return units


@login_required
@upload_page(limit=HOUSEHOLD_LIST, permit=lambda request: _import_units(request.user))
def household_import(request):
    """Step 1: upload the file and choose the unit (the user's own by default)."""
    units = _import_units(request.user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"unit": request.user.unit.code},
    )
    if request.method == "POST" and form.is_valid():
        unit = editable_unit(request.user, form.cleaned_data["unit"])
        upload = form.cleaned_data["file"]
        accepted, error = caught(lambda: accept_upload(upload))
        if error is not None:
            form.add_error("file", error.message)
        else:
            token, path, columns = accepted
            state = {
                "filename": Path(upload.name).name,
                "suffix": path.suffix,
                "unit": unit.code,
                "columns": columns[:100],
            }
            mapping = contract_mapping(columns)
            if mapping is None:
                _save_state(request, token, state)
                return redirect("household-import-map", token)
            return _start_check(request, token, state, mapping)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "register/import_upload.html",
        {
            "form": form,
            "contract": CONTRACT,
            "summary": error_summary(form),
        },
        status=status,
    )


def _start_check(request, token: str, state: dict, mapping: dict):
    unit = editable_unit(request.user, state["unit"])
    path = stored_path(token, state["suffix"])
    job = job_start(
        kind="register.import.check",
        target="chunfeng.register.import_jobs:check_job",
        params={
            "path": str(path),
            "filename": state["filename"],
            "mapping": mapping,
            "next_url": reverse("household-import-preview", args=[token]),
        },
        actor=request.user,
        unit=unit,
    )
    state = {**state, "mapping": mapping, "check_job": job.pk}
    state.pop("import_job", None)
    _save_state(request, token, state)
    return redirect("household-import-preview", token)


@login_required
def household_import_map(request, token: str):
    """Step 2 (only when the headers are not the template's): which column is which."""
    _import_units(request.user)
    state = _state(request, token)
    columns = stored_columns(_stored(token, state), state["filename"])
    if request.method == "POST":
        form = MappingForm(request.POST, columns=columns)
        if form.is_valid():
            mapping = form.mapping()
            problems = mapping_problems(mapping, columns)
            if not problems:
                return _start_check(request, token, state, mapping)
            for problem in problems:
                form.add_error(None, problem)
    else:
        guess = state.get("mapping") or guess_mapping(columns)
        form = MappingForm(initial=MappingForm.initial_for(guess), columns=columns)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "register/import_map.html",
        {
            "form": form,
            "state": state,
            "token": token,
            "contract": CONTRACT,
            "required": REQUIRED,
        },
        status=status,
    )


@login_required
def household_import_preview(request, token: str):
    """Step 3: the first rows as they will be saved and every problem; then the commit, whose
    progress is shown here too."""
    _import_units(request.user)
    state = _state(request, token)
    check = job_of(request.user, state.get("check_job"))
    if check is None:
        return redirect("household-import-map", token)
    done = check.status == JobStatus.DONE
    result = check.result if done else {}
    errors = result.get("errors", [])
    imported = job_of(request.user, state.get("import_job"))
    can_commit = (
        done
        and not result.get("error_count")
        and result.get("valid", 0) > 0
        and (imported is None or imported.status == JobStatus.FAILED)
    )
    return render(
        request,
        "register/import_preview.html",
        {
            "token": token,
            "state": state,
            "check": check,
            "done": done,
            "result": result,
            "errors": errors[:ERRORS_SHOWN],
            "errors_more": result.get("error_count", 0) > ERRORS_SHOWN,
            "import_job": imported,
            "can_commit": can_commit,
            "columns": [
                (t, column_label(i, state.get("columns", [])))
                for t, i in state.get("mapping", {}).items()
                if i is not None
            ],
        },
    )


@login_required
@require_POST
def household_import_commit(request, token: str):
    """Step 4: the import itself, in the background, all or nothing."""
    _import_units(request.user)
    state = _state(request, token)
    check = job_of(request.user, state.get("check_job"))
    if check is None or check.status != JobStatus.DONE or check.result.get("error_count"):
        messages.error(request, _("文件还没有通过检查，不能导入"))
        return redirect("household-import-preview", token)
    running = job_of(request.user, state.get("import_job"))
    if running is not None and running.status != JobStatus.FAILED:
        return redirect("household-import-preview", token)
    unit = editable_unit(request.user, state["unit"])
    path = _stored(token, state)
    job = job_start(
        kind="register.import",
        target="chunfeng.register.import_jobs:import_job",
        params={
            "path": str(path),
            "filename": state["filename"],
            "mapping": state["mapping"],
            "next_url": f"{reverse('household-list')}?{urlencode({'unit': unit.code})}",
        },
        actor=request.user,
        unit=unit,
    )
    _save_state(request, token, {**state, "import_job": job.pk})
    return redirect("household-import-preview", token)


@login_required
def household_import_template(request):
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, "困难职工名单模板.xlsx")
    return response
