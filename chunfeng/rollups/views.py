"""The 汇总 pages: the form with its totals, the drill-down per total, the unit-by-blank table,
and the action that fills a unit's own report from its reporting units' reports.

Apps above contribute to the summary page through the ``summary.records`` panel slot, and to
its 表实相符 part through ``summary.compare``: the figures the real-name records give over the
whole subtree, which grow with its households and payment lines, are computed only on request
(``summary_records``: the panels and the marks on the totals for HTMX, else the page with
them), never on the page's own GET."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.campaigns.selectors import campaign_for
from chunfeng.core.panels import collect, render_panels
from chunfeng.core.rules import can_close_campaign
from chunfeng.core.web import back_on_error
from chunfeng.formdefs.values import format_value
from chunfeng.reports.presenters import BlankView, paper_items
from chunfeng.reports.selectors import campaign_closed, report_slot_for

from .branches import split_rows
from .per_unit import drill_rows, unit_table_page
from .selectors import MISSING_NAMED, compare, previous_summary, summary_visible_to
from .services import campaign_close, report_fill_from_children


def _summary(request, campaign_id: int, unit_code: str, form_code: str):
    include = request.GET.get("status", "approved")
    return summary_visible_to(request.user, campaign_id, unit_code, form_code, include)


def total_text(blank, total) -> str:
    """A unit's figure or a total as text; a unit's yes/no answer reads 是/否, a yes/no total
    is the number of units answering 是."""
    if total is None:
        return ""
    if blank.type == "yesno":
        return ("是" if total else "否") if isinstance(total, bool) else str(total)
    return format_value(blank, total)


def _paper(summary) -> list:
    """The form laid out as on paper with the 汇总's totals in its blanks."""
    definition = summary.definition
    texts = {c: total_text(definition.blanks[c], v) for c, v in summary.values.items()}
    return paper_items(definition, texts, summary.outcome)


def _page_context(request, summary) -> dict:
    definition = summary.definition
    previous = previous_summary(summary)
    changes = compare(summary, previous) if previous is not None else []
    context = {
        "summary": summary,
        "definition": definition,
        "items": _paper(summary),
        "previous": previous.campaign if previous else None,
        "changes": changes,
        "flagged": [c for c in changes if c.flagged],
        "records_panels": render_panels("summary.records", request, summary=summary),
        "split_rows": split_rows(definition, summary.split, total_text),
        "both_branches": len(summary.split.present) > 1,
        "missing_named": list(summary.missing[:MISSING_NAMED]) if summary.counts.missing else [],
        "drill_base": _drill_base(summary),
        # 表实相符 is offered where there is something to compare: figures the records answer,
        # and reports summed
        "may_compare": bool(definition.derived and summary.counts.included),
    }
    if summary.unit.pk == summary.campaign.owner_id:
        context["closed"] = campaign_closed(summary.campaign)
        context["may_close"] = can_close_campaign(request.user, summary.unit)
    return context


@login_required
def summary_page(request, campaign_id: int, unit_code: str, form_code: str):
    """The totals, without the 表实相符 comparison: a button loads it (``summary_records``)."""
    summary = _summary(request, campaign_id, unit_code, form_code)
    return render(request, "rollups/summary.html", _page_context(request, summary))


@login_required
def summary_records(request, campaign_id: int, unit_code: str, form_code: str):
    """表实相符 on request: the panels of ``summary.compare`` and the marks on the totals that
    differ from the records. For HTMX the section alone, the marks swapped in out of band;
    else the whole 汇总 page with them."""
    summary = _summary(request, campaign_id, unit_code, form_code)
    panels, data = collect("summary.compare", request, summary=summary)
    diff_codes = data.get("diff_codes", {})
    if request.headers.get("HX-Request"):
        context = {"summary": summary, "compare_panels": panels, "diff_codes": diff_codes}
        context["marked"] = _marked_parts(summary, diff_codes)
        context["drill_base"] = _drill_base(summary)
        return render(request, "rollups/_compare.html", context)
    context = _page_context(request, summary)
    context.update(compare_panels=panels, diff_codes=diff_codes)
    return render(request, "rollups/summary.html", context)


def _marked_parts(summary, diff_codes: dict) -> list:
    """The paper's totals that differ from the records, to be swapped in with their marks."""
    if not diff_codes:
        return []
    return [
        part
        for item in _paper(summary)
        for line in item.lines
        for part in line.parts
        if isinstance(part, BlankView) and part.blank.code in diff_codes
    ]


def _drill_base(summary) -> str:
    """The drill-down URL of a blank is this followed by its code and a slash: reversed once
    for the page's 77 blanks rather than once each."""
    args = [summary.campaign.pk, summary.unit.code, summary.campaign_form.code, "CODE"]
    return reverse("summary-drill", args=args).removesuffix("CODE/")


@login_required
def drill_down(request, campaign_id: int, unit_code: str, form_code: str, code: str):
    summary = _summary(request, campaign_id, unit_code, form_code)
    blank = summary.definition.blanks.get(code)
    if blank is None:
        raise Http404(_("表单中没有填报项 %(code)s") % {"code": code})
    rows = [(u, total_text(blank, value), branch) for u, value, branch in drill_rows(summary, code)]
    split = summary.split
    context = {
        "summary": summary,
        "blank": blank,
        "rows": rows,
        "own": total_text(blank, split.own.get(code)),
        "children": total_text(blank, split.children.get(code)),
        "total": total_text(blank, summary.values.get(code)),
        "rule": split.rules[code],
        "rule_label": split.rule_label(code),
        "note": summary.definition.branch_rule(code).note,
        "both_branches": len(split.present) > 1,
    }
    return render(request, "rollups/_drill.html", context)


@login_required
def unit_table(request, campaign_id: int, unit_code: str, form_code: str):
    summary = _summary(request, campaign_id, unit_code, form_code)
    blanks = list(summary.definition.blanks.values())
    sort, desc = request.GET.get("sort", ""), request.GET.get("dir") == "desc"
    page = unit_table_page(summary, sort=sort, desc=desc, number=request.GET.get("page"))
    rows = [(u, [total_text(b, values.get(b.code)) for b in blanks]) for u, values in page]
    totals = [total_text(b, summary.values.get(b.code)) for b in blanks]
    split = summary.split
    lines = [(_("本级"), split.own), (_("下级合计"), split.children)]
    if len(split.present) > 1:
        lines[1:1] = [(_("属地小计"), split.branches["territory"])]
        lines[2:2] = [(_("产业小计"), split.branches["industry"])]
    context = {
        "summary": summary,
        "blanks": blanks,
        "rows": rows,
        "page": page,
        "totals": totals,
        "split_lines": [
            (label, [total_text(b, values.get(b.code)) for b in blanks]) for label, values in lines
        ],
        "sort": sort,
        "desc": desc,
    }
    return render(request, "rollups/table.html", context)


def _entry(request, campaign_id: int, unit_code: str, form_code: str) -> str:
    return reverse("report-entry", args=[campaign_id, unit_code, form_code])


@login_required
@require_POST
@back_on_error(_entry)
def fill_from_children(request, campaign_id: int, unit_code: str, form_code: str):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    include = request.POST.get("include", "approved")
    _report, _outcome, summary = report_fill_from_children(
        slot=slot, actor=request.user, include=include
    )
    messages.success(
        request, f"已按 {summary.counts.included} 个下级单位的报表汇总填入，请核对后保存或报送。"
    )
    return redirect(_entry(request, campaign_id, unit_code, form_code))


def _campaign_page(request, campaign_id: int) -> str:
    return reverse("campaign-detail", args=[campaign_id])


@login_required
@require_POST
@back_on_error(_campaign_page)
def close_campaign(request, campaign_id: int):
    """结束活动: the owner's final reports become its 合计, frozen."""
    campaign = campaign_for(request.user, campaign_id)
    finals = campaign_close(campaign=campaign, actor=request.user)
    messages.success(
        request,
        _("活动已结束，%(count)s 张最终报表已定稿，可打印和导出。") % {"count": len(finals)},
    )
    return redirect(_campaign_page(request, campaign_id))
