"""The entry page of a report, laid out like the paper form, and its live checks.

Apps above contribute panels to it (``chunfeng.core.panels``): ``report.entry.actions`` (e.g.
the roll-up's "fill from children") and ``report.entry.records`` (表实相符). The page itself
stays cheap whatever the federation's size and the report's age: its history is paginated
(``report_history_page``) and the records' figures, which are computed over the unit's whole
subtree, are loaded on request (``report_records``, through HTMX)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.panels import render_panels
from chunfeng.core.rules import can_fill
from chunfeng.core.versions import Stale, version_from
from chunfeng.core.web import caught
from chunfeng.formdefs.values import format_value, parse_values

from .presenters import paper_items
from .selectors import report_checks, report_history, report_slot_for, report_values
from .services import report_readiness, report_write
from .work_reports import work_report_of
from .workflow import can_review_report, submission_problems


def _posted(post, definition):
    values = {code: post.get(f"v-{code}", "") for code in definition.blanks}
    explanations = {c.id: post[f"x-{c.id}"] for c in definition.checks if f"x-{c.id}" in post}
    header = {k: post.get(k, "") for k in ("filler_name", "filler_phone", "fill_date")}
    return values, explanations, header


def _stored(slot, definition):
    values = report_values(slot.report, definition)
    texts = {code: format_value(definition.blanks[code], v) for code, v in values.items()}
    report = slot.report
    header = {
        "filler_name": report.filler_name if report else "",
        "filler_phone": report.filler_phone if report else "",
        "fill_date": report.fill_date.isoformat() if report and report.fill_date else "",
    }
    return values, texts, (report.explanations if report else {}), header


def _checks(slot, values):
    return report_checks(
        slot.definition, values, campaign_id=slot.campaign.pk, unit=slot.unit, own=slot.own
    )


def _evaluate(slot, texts):
    """Parse what was typed; check the valid part. Returns (values, outcome, field errors)."""
    parsed, field_errors = parse_values(slot.definition, texts)
    values = {k: v for k, v in parsed.items() if v is not None}
    return values, _checks(slot, values), field_errors


@login_required
def report_entry(request, campaign_id: int, unit_code: str, form_code: str, own: bool = False):
    """The entry page of a filed report (合计) or, with ``own``, of the unit's 本级 filing. The
    hidden ``version`` is the report's as the page was shown (0: none yet): a save onto
    a newer one is refused with 409 and the page shown again with what was typed, each blank
    that differs named with the stored value and the typed one (contract (c))."""
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    definition = slot.definition
    editable = can_fill(request.user, slot.unit) and slot.open
    status = 200
    version = slot.report.version if slot.report else 0
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("您不能修改这张报表"))
        texts, explanations, header = _posted(request.POST, definition)
        _saved, error = caught(  # the page it redirects to runs the checks
            lambda: report_write(
                slot=slot,
                actor=request.user,
                values=texts,
                explanations=explanations,
                header=header,
                version=version_from(request.POST.get("version")),
            )
        )
        if error is None:
            messages.success(request, _("草稿已保存。"))
            return redirect(request.path)
        messages.error(request, error.message)
        status = 400
        if isinstance(error, Stale):  # the next save is made knowing the other's values
            status, version = 409, error.current
            for detail in error.details:
                messages.warning(request, detail["message"])
        values, outcome, field_errors = _evaluate(slot, texts)
    else:
        values, texts, explanations, header = _stored(slot, definition)
        outcome, field_errors = _checks(slot, values), []
    context = _context(slot, definition, texts, explanations, header, outcome, field_errors)
    context.update(editable=editable, history=report_history(slot.report))
    context["version"] = version
    # on a GET the page's readiness is the stored report's: the submit check reuses it
    stored = context["readiness"] if request.method == "GET" else None
    context.update(_workflow_context(request.user, slot, editable, stored))
    shared = {"slot": slot, "definition": definition, "editable": editable}
    context["action_panels"] = render_panels("report.entry.actions", request, **shared)
    return render(request, "reports/entry.html", context, status=status)


def _page_number(request) -> int:
    text = request.GET.get("page", "1")
    return int(text) if text.isdecimal() and len(text) < 7 else 1


@login_required
def report_history_page(
    request, campaign_id: int, unit_code: str, form_code: str, own: bool = False
):
    """A page of the report's history: the section alone for HTMX, else a page of its own."""
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    context = {"slot": slot, "definition": slot.definition}
    context["history"] = report_history(slot.report, _page_number(request))
    partial = bool(request.headers.get("HX-Request"))
    return render(request, "reports/_history.html" if partial else "reports/history.html", context)


@login_required
def report_records(request, campaign_id: int, unit_code: str, form_code: str, own: bool = False):
    """表实相符 on request: the figures the records give beside the stored report's (the
    panels of ``report.entry.records``); the section alone for HTMX, else a page of its own."""
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    definition = slot.definition
    editable = can_fill(request.user, slot.unit) and (slot.report is None or slot.report.editable)
    values = report_values(slot.report, definition)
    shared = {"slot": slot, "definition": definition, "editable": editable}
    panels = render_panels("report.entry.records", request, values=values, **shared)
    context = shared | {"records_panels": panels}
    partial = bool(request.headers.get("HX-Request"))
    return render(
        request, "reports/_records_slot.html" if partial else "reports/records.html", context
    )


def _workflow_context(user, slot, editable, readiness=None):
    report = slot.report
    work_report = work_report_of(slot.campaign, slot.unit)
    return {
        "can_submit": editable and report is not None and not slot.own and not slot.is_final,
        "can_review": report is not None and can_review_report(user, report),
        "work_report": work_report,
        "problems": (
            submission_problems(report, readiness=readiness, work_report=work_report)
            if editable and report and not slot.own and not slot.is_final
            else []
        ),
        "collects": slot.own or slot.collects,
    }


@login_required
def work_report_download(request, campaign_id: int, unit_code: str, form_code: str):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    work_report = work_report_of(slot.campaign, slot.unit)
    if work_report is None:
        raise Http404(_("尚未上传工作报告"))
    return FileResponse(
        work_report.file.open("rb"), as_attachment=True, filename=work_report.original_name
    )


def _context(slot, definition, texts, explanations, header, outcome, field_errors):
    parsed = {k: v for k, v in parse_values(definition, texts)[0].items() if v is not None}
    readiness = report_readiness(definition, parsed, explanations, outcome)
    return {
        "slot": slot,
        "definition": definition,
        "items": paper_items(definition, texts, outcome, field_errors),
        "outcome": outcome,
        "field_errors": field_errors,
        "explanations": explanations,
        "header": header,
        "readiness": readiness,
        "empty_count": len(readiness.empty),
        "error_count": len(outcome.errors) + len(field_errors),
    }


@login_required
@require_POST
def report_check(request, campaign_id: int, unit_code: str, form_code: str, own: bool = False):
    """HTMX: run the checks on what is typed, without saving; swaps the check list, the
    messages beside each line and the 报送 form with what still stands before submitting."""
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    definition = slot.definition
    texts, explanations, header = _posted(request.POST, definition)
    _values, outcome, field_errors = _evaluate(slot, texts)
    context = _context(slot, definition, texts, explanations, header, outcome, field_errors)
    context["editable"] = editable = can_fill(request.user, slot.unit) and slot.open
    # "报送前还需要" follows what is typed (the 报送 form is swapped out of band)
    context.update(_workflow_context(request.user, slot, editable, context["readiness"]))
    return render(request, "reports/_check_response.html", context)
