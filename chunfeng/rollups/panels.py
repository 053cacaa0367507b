"""What the roll-up shows on the report entry page: the action that fills a unit's report
from its reporting units' reports, where the unit has some."""

from chunfeng.core.panels import Panel, contribute


def fill_action(request, *, slot, editable, **_context) -> Panel | None:
    # whether any reporting unit lies below: one EXISTS on every entry page, shared with the
    # page's own links (``slot.collects``), where ``contributors`` would load every recipient
    # of the subtree (10,000 at a province)
    if not editable or not slot.collects:
        return None
    return Panel("rollups/_fill_from_children.html")


def register() -> None:
    contribute("report.entry.actions", fill_action)
