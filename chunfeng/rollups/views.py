from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from chunfeng.campaigns.selectors import campaign_for, campaign_form
from chunfeng.formdefs.values import format_value
from chunfeng.orgunits.selectors import unit_for
from chunfeng.register.derived import DERIVED_FORM, derived_figures, differences
from chunfeng.reports.presenters import paper_items

from .selectors import INCLUDE, compare, previous_campaign, summary_for


def summary_from_request(request, campaign_id: int, unit_code: str, form_code: str):
    campaign = campaign_for(request.user, campaign_id)
    unit = unit_for(request.user, unit_code)
    cform = campaign_form(campaign, form_code)
    include = request.GET.get("status", "approved")
    if include not in INCLUDE:
        raise Http404("status 只能是 approved 或 submitted")
    return summary_for(campaign, unit, cform, include)


def total_text(blank, total) -> str:
    """A unit's figure or a total as text; a unit's yes/no answer reads 是/否, a yes/no total
    is the number of units answering 是."""
    if total is None:
        return ""
    if blank.type == "yesno":
        return ("是" if total else "否") if isinstance(total, bool) else str(total)
    return format_value(blank, total)


@login_required
def summary_page(request, campaign_id: int, unit_code: str, form_code: str):
    summary = summary_from_request(request, campaign_id, unit_code, form_code)
    definition = summary.definition
    texts = {c: total_text(definition.blanks[c], v) for c, v in summary.values.items()}
    previous = previous_campaign(summary.campaign, form_code)
    changes = []
    if previous is not None and previous.forms.filter(code=form_code).exists():
        prev = summary_for(previous, summary.unit, campaign_form(previous, form_code),
                           summary.include)  # fmt: skip
        changes = compare(summary, prev)
    context = {
        "summary": summary,
        "definition": definition,
        **_record_differences(summary),
        "items": paper_items(definition, texts, summary.outcome),
        "previous": previous,
        "changes": changes,
        "flagged": [c for c in changes if c.flagged],
    }
    return render(request, "rollups/summary.html", context)


@login_required
def drill_down(request, campaign_id: int, unit_code: str, form_code: str, code: str):
    summary = summary_from_request(request, campaign_id, unit_code, form_code)
    blank = summary.definition.blanks.get(code)
    if blank is None:
        raise Http404(f"表单中没有填报项 {code}")
    rows = [(u, total_text(blank, summary.per_unit[u.code].get(code))) for u in summary.included]
    context = {"summary": summary, "blank": blank, "rows": rows,
               "total": total_text(blank, summary.values.get(code))}  # fmt: skip
    return render(request, "rollups/_drill.html", context)


@login_required
def unit_table(request, campaign_id: int, unit_code: str, form_code: str):
    summary = summary_from_request(request, campaign_id, unit_code, form_code)
    blanks = list(summary.definition.blanks.values())
    sort, desc = request.GET.get("sort", ""), request.GET.get("dir") == "desc"
    units = list(summary.included)
    if sort in summary.definition.blanks:
        units.sort(key=lambda u: (summary.per_unit[u.code].get(sort) is None,
                                  summary.per_unit[u.code].get(sort) or 0), reverse=desc)  # fmt: skip
    rows = [
        (u, [total_text(b, summary.per_unit[u.code].get(b.code)) for b in blanks]) for u in units
    ]
    totals = [total_text(b, summary.values.get(b.code)) for b in blanks]
    context = {"summary": summary, "blanks": blanks, "rows": rows, "totals": totals,
               "sort": sort, "desc": desc}  # fmt: skip
    return render(request, "rollups/table.html", context)


def _record_differences(summary) -> dict:
    """表实相符 on the 汇总 page: the totals and each unit's figures against the records."""
    if summary.definition.code != DERIVED_FORM:
        return {}
    definition, campaign = summary.definition, summary.campaign
    total = differences(definition, summary.values, derived_figures(campaign, summary.unit))
    per_unit = [
        (u, diffs) for u in summary.included
        if (diffs := differences(definition, summary.per_unit[u.code],
                                 derived_figures(campaign, u)))
    ]  # fmt: skip
    return {"record_diffs": total, "unit_diffs": per_unit,
            "diff_codes": {d.code: d.recorded for d in total}}  # fmt: skip
