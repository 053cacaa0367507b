from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .selectors import campaign_for, campaigns_visible_to, report_grid, todo_for


@login_required
def home(request):
    return render(
        request, "campaigns/home.html",
        {"todo": todo_for(request.user), "today": timezone.localdate()},
    )  # fmt: skip


@login_required
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).select_related("owner")
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request, pk: int):
    campaign = campaign_for(request.user, pk)
    context = {
        "campaign": campaign,
        "forms": campaign.forms.select_related("form_version"),
        "grid": report_grid(request.user, campaign),
    }
    return render(request, "campaigns/campaign_detail.html", context)
