"""What the roll-up shows on the report entry page: the action that fills a unit's report
from its reporting units' reports, where the unit has some."""

from chunfeng.core.panels import Panel, contribute

from .selectors import contributors


def fill_action(request, *, slot, editable, **_context) -> Panel | None:
    if not editable or not contributors(slot.campaign, slot.unit):
        return None
    return Panel("rollups/_fill_from_children.html")


def register() -> None:
    contribute("report.entry.actions", fill_action)
