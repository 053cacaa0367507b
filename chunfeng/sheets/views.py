"""Downloads and uploads of report and 汇总 files."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from chunfeng.core.errors import ApplicationError
from chunfeng.core.uploads import FORM_FILE, upload_page
from chunfeng.core.web import caught
from chunfeng.reports.selectors import report_slot_for
from chunfeng.rollups.selectors import summary_visible_to

from . import exports
from .export_jobs import ENDINGS, export_is_large, export_start
from .importer import cells_of, report_import, require_importer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {"xlsx": XLSX, "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


def file_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _name(slot, suffix: str) -> str:
    return f"{slot.unit.name}{'-本级' if slot.own else ''}-{slot.definition.title}{suffix}"


@login_required
def report_file(
    request, campaign_id: int, unit_code: str, form_code: str, kind: str, ext: str, own=False
):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    if (kind, ext) == ("template", "xlsx"):
        return file_response(exports.report_xlsx(slot, "template"), _name(slot, "-模板.xlsx"))
    if (kind, ext) == ("export", "xlsx"):
        return file_response(exports.report_xlsx(slot), _name(slot, ".xlsx"))
    if (kind, ext) == ("export", "pdf"):
        return file_response(exports.report_pdf(slot), _name(slot, ".pdf"))
    raise Http404(_("不支持的文件类型"))


def may_import(request, campaign_id: int, unit_code: str, form_code: str, own=False) -> None:
    """Asked before the upload is received: a 查看员's file is refused unread."""
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    require_importer(slot, request.user)


@login_required
@upload_page(limit=FORM_FILE, permit=may_import)
def report_upload(request, campaign_id: int, unit_code: str, form_code: str, own=False):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    context = {"slot": slot, "definition": slot.definition}
    if request.method == "POST":
        result, error = caught(lambda: _import(request, slot, request.FILES.get("file")))
        if error is not None:
            context["error"] = error
            outcome = getattr(error, "outcome", None)  # the checks of an unreadable file
            if outcome is not None:
                context["unsaved_checks"] = checks_with_cells(outcome, error.cells)
            return render(request, "sheets/import.html", context, status=400)
        context["result"] = checks_with_cells(result.outcome, result.cells)
    return render(request, "sheets/import.html", context)


def _import(request, slot, upload):
    if upload is None:
        raise ApplicationError(_("请选择要上传的文件"), code="no_file")
    return report_import(slot=slot, data=upload.read(), name=upload.name, actor=request.user)


def checks_with_cells(outcome, cells: dict[str, str]) -> dict:
    """The automatic checks' errors and warnings, each with the cells of its blanks."""
    return {
        "errors": [(r, cells_of(r, cells)) for r in outcome.errors],
        "warnings": [(r, cells_of(r, cells)) for r in outcome.warnings],
    }


@login_required
def summary_file(request, campaign_id: int, unit_code: str, form_code: str, ext: str):
    return _export(request, campaign_id, unit_code, form_code, "summary", ext)


@login_required
def unit_table_file(request, campaign_id: int, unit_code: str, form_code: str, ext: str):
    return _export(request, campaign_id, unit_code, form_code, "table", ext)


def _export(request, campaign_id: int, unit_code: str, form_code: str, what: str, ext: str):
    """A small export is made now into a temporary file (on disk) and sent from it; a large
    one by a worker (``export_jobs``)."""
    if (what, ext) not in ENDINGS:
        raise Http404(_("不支持的文件类型"))
    args = (campaign_id, unit_code, form_code, request.GET.get("status", "approved"))
    if export_is_large(request.user, *args):
        return _in_background(request, *args, what, ext)
    summary = summary_visible_to(request.user, *args)
    name = f"{summary.unit.name}-{summary.definition.title}-{ENDINGS[(what, ext)]}"
    out = exports.spooled(what, ext, summary)
    return FileResponse(out, as_attachment=True, filename=name, content_type=TYPES[ext])


def _in_background(request, campaign_id: int, unit_code: str, form_code: str, include, what, ext):
    """A large export: GET offers to make it in the background (a GET starts nothing), POST
    starts the job and shows its panel, which offers the download when the worker is done."""
    context = {"campaign_id": campaign_id, "unit_code": unit_code, "form_code": form_code}
    if request.method == "POST":
        context["job"] = export_start(
            user=request.user,
            campaign_id=campaign_id,
            unit_code=unit_code,
            form_code=form_code,
            include=include,
            what=what,
            ext=ext,
        )
    return render(request, "sheets/export_job.html", context)
