"""What the applications app shows on the register's pages (``core.panels``): on the list, the
files whose yearly review is overdue (marked per row, counted above the list); on a file, where
it came from, its review date and the review to do."""

from __future__ import annotations

from django.utils import timezone

from chunfeng.core.panels import Panel
from chunfeng.core.rules import can_handle_application

from .selectors import file_state_of, overdue_count, overdue_household_ids


def household_list_panel(request, *, households, **_context) -> Panel | None:
    overdue = overdue_household_ids(h.pk for h in households)
    late = overdue_count(request.user)
    if not late and not overdue:
        return None
    return Panel("applications/_overdue_panel.html", {"late": late}, {"overdue": overdue})


def household_detail_panel(request, *, household, **_context) -> Panel | None:
    state = file_state_of(household)
    if state is None and household.status != "active":
        return None
    today = timezone.localdate()
    context = {
        "state": state,
        "late": bool(state and state.review_due and state.review_due < today),
        "may_review": household.status == "active"
        and can_handle_application(request.user, household.unit),
    }
    return Panel("applications/_file_panel.html", context)
