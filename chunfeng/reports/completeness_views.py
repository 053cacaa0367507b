"""Who has filed a campaign's forms (报送情况) and 催报 to the units that are late."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chunfeng.campaigns.selectors import campaign_for
from chunfeng.campaigns.services import reminder_send
from chunfeng.core.rules import can_remind, may_remind_at_all
from chunfeng.orgunits.selectors import unit_for

from .completeness import completeness, overdue_units, rates


@login_required
def completeness_page(request, pk: int):
    campaign = campaign_for(request.user, pk)
    code = request.GET.get("unit")
    root = unit_for(request.user, code) if code else request.user.unit
    rows = completeness(campaign, root)
    overdue = overdue_units(rows)
    context = {
        "campaign": campaign,
        "root": root,
        "rows": rows,
        "rates": rates(rows),
        "overdue": overdue,
        "remindable": [u for u in overdue if can_remind(request.user, u)],
        "can_remind": may_remind_at_all(request.user),
    }
    return render(request, "reports/completeness.html", context)


@login_required
@require_POST
def remind_overdue(request, pk: int):
    campaign = campaign_for(request.user, pk)
    rows = completeness(campaign, request.user.unit)
    units = [u for u in overdue_units(rows) if u.pk != request.user.unit_id]
    sent = reminder_send(
        campaign=campaign, actor=request.user, units=units, message=request.POST.get("message", "")
    )
    if sent:
        messages.success(request, f"已向 {len(sent)} 个逾期单位发出催报。")
    else:
        messages.info(request, "没有可以催报的逾期单位。")
    return redirect("campaign-completeness", pk)
