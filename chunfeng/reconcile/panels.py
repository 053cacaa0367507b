"""表实相符 on the pages of the apps below: beside a report's figures on its entry page, and
beside the totals and each unit's figures on a 汇总 page."""

from chunfeng.core.panels import Panel, contribute

from .computing import compute_explained
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


def summary_differences(request, *, summary, **_context) -> Panel | None:
    """The totals and each unit's figures against the records."""
    definition, campaign = summary.definition, summary.campaign
    if not definition.derived:
        return None
    total = differences(
        definition, summary.values, derived_figures(definition, campaign, summary.unit)
    )
    per_unit = [
        (u, diffs)
        for u in summary.included
        if (
            diffs := differences(
                definition, summary.per_unit[u.code], derived_figures(definition, campaign, u)
            )
        )
    ]
    if not total and not per_unit:
        return None
    return Panel(
        "reconcile/_summary_differences.html",
        {"record_diffs": total, "unit_diffs": per_unit},
        data={"diff_codes": {d.code: d.recorded for d in total}},
    )


def register() -> None:
    contribute("report.entry.records", entry_records)
    contribute("summary.records", summary_differences)
