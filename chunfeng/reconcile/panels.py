"""表实相符 on the pages of the apps below: beside a report's figures on its entry page, and
beside the totals and each unit's figures on a 汇总 page — both loaded on request (the slots
``report.entry.records`` and ``summary.compare``), as they read the subtree's records."""

from django.urls import reverse

from chunfeng.core.panels import Panel, contribute
from chunfeng.rollups.per_unit import unit_rows

from .computing import comparable_codes, compute_explained
from .figures import derived_figures, differences


def entry_records(request, *, slot, definition, values, editable, **_context) -> Panel | None:
    """The figures the real-name records give, beside what the report says."""
    if not definition.derived:
        return None
    # like with like: a 本级 filing with the unit's own records, a filed report (合计) with
    # its whole subtree's
    explained = compute_explained(definition, slot.campaign, slot.unit, own=slot.own)
    blanks = definition.blanks
    rows = [
        (blanks[c], values.get(c), v, values.get(c) is not None and values[c] != v)
        for c, v in explained.values.items()
    ]
    notes = [(blanks[c], text) for c, text in explained.notes.items()]
    return Panel(
        "reconcile/_records.html",
        {"records": rows, "record_diffs": sum(1 for r in rows if r[3]), "record_notes": notes},
    )


UNITS_PARAM = "unit_diffs"  # ?unit_diffs=1: compare each reporting unit too (on demand)


def summary_differences(request, *, summary, **_context) -> Panel | None:
    """The totals against the records where every reporting unit keeps them (a fixed number
    of queries); each unit's figures only on demand (``?unit_diffs=1``): that costs a few
    queries per reporting unit, so a 汇总 over thousands of units does not pay it at once.
    The marks beside the totals are handed to the page as ``diff_codes``."""
    definition, campaign = summary.definition, summary.campaign
    if not definition.derived or not summary.counts.included:
        return None
    # the totals only where every reporting unit keeps the records (each unit on demand)
    comparable = comparable_codes(definition, campaign, summary.unit, summary.included)
    recorded = derived_figures(definition, campaign, summary.unit)
    total = differences(
        definition, summary.values, {c: v for c, v in recorded.items() if c in comparable}
    )
    asked = request.GET.get(UNITS_PARAM) == "1"
    per_unit = [
        (u, diffs)
        for u, figures in (unit_rows(summary) if asked else [])
        if (diffs := differences(definition, figures, derived_figures(definition, campaign, u)))
    ]
    query = request.GET.copy()
    query[UNITS_PARAM] = "1"
    args = [campaign.pk, summary.unit.code, summary.campaign_form.code]
    return Panel(
        "reconcile/_summary_differences.html",
        {
            "record_diffs": total,
            "unit_diffs": per_unit,
            "units_asked": asked,
            # the whole page with each unit compared (a link, not HTMX: it may take long)
            "units_url": reverse("summary-records", args=args) + "?" + query.urlencode(),
        },
        data={"diff_codes": {d.code: d.recorded for d in total}},
    )


def register() -> None:
    contribute("report.entry.records", entry_records)
    contribute("summary.compare", summary_differences)
