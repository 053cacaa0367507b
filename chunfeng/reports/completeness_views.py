"""Who has filed a campaign's forms (报送情况) and 催报 to the units that are late."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.campaigns.passdown import deadline_of
from chunfeng.campaigns.selectors import campaign_for
from chunfeng.campaigns.services import reminder_send
from chunfeng.core.rules import can_remind, may_remind_at_all
from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.selectors import unit_for

from .completeness import (
    DETAIL_SORTS,
    DETAIL_STATES,
    detail_page,
    overdue_units,
    overdue_units_page,
    rates_for,
)


def _page_number(request, name: str) -> int:
    raw = request.GET.get(name, "1")
    return int(raw) if raw.isdecimal() else 1


@login_required
def completeness_page(request, pk: int):
    """Rates per level and per form, the overdue units (which form each is missing) and the
    detail, a page of units at a time (``page``, ``late``), of one level if asked (``level``)."""
    campaign = campaign_for(request.user, pk)
    code = request.GET.get("unit")
    root = unit_for(request.user, code) if code else request.user.unit
    level = request.GET.get("level", "")
    state = request.GET.get("state", "")
    state = state if state in DETAIL_STATES else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in DETAIL_SORTS else ""
    q = request.GET.get("q", "").strip()[:50]
    # the detail's filters, kept by its pager and by the overdue list's
    kept = urlencode(
        {
            k: v
            for k, v in {
                "unit": root.code,
                "level": level,
                "state": state,
                "q": q,
                "sort": sort,
            }.items()
            if v
        }
    )
    overdue = overdue_units_page(campaign, root, _page_number(request, "late"))
    context = {
        "campaign": campaign,
        "root": root,
        "deadline": deadline_of(campaign, root),  # its pass-down's, else the campaign's
        "rates": rates_for(campaign, root),
        "overdue": overdue,
        "remindable": [o for o in overdue.items if can_remind(request.user, o.unit)],
        "can_remind": may_remind_at_all(request.user),
        "detail": detail_page(
            campaign,
            root,
            page=_page_number(request, "page"),
            level=level,
            state=state,
            q=q,
            sort=sort,
        ),
        "level": level,
        "state": state,
        "q": q,
        "sort": sort,
        "kept": kept,
        "levels": UnitKind.choices,
    }
    return render(request, "reports/completeness.html", context)


@login_required
@require_POST
def remind_overdue(request, pk: int):
    """催报 to every unit below the user's own that is past its deadline with a form missing."""
    campaign = campaign_for(request.user, pk)
    units = overdue_units(campaign, request.user.unit)
    sent = reminder_send(
        campaign=campaign, actor=request.user, units=units, message=request.POST.get("message", "")
    )
    if sent:
        messages.success(request, _("已向 %(count)s 个逾期单位发出催报。") % {"count": len(sent)})
    else:
        messages.info(request, _("没有可以催报的逾期单位。"))
    return redirect("campaign-completeness", pk)
