"""The home page of each role and the dashboards' chart data.

City and district (a unit with units below it): the campaign at a glance — days left, filing
rates per unit and per form, the unit × form status grid, money raised vs paid, payments per
day, coverage, open duplicate flags and 12351 cases. Grassroots: what to do next with progress.
Every role keeps the to-do, the review queue and the 催报 it received. Composed from the apps
below (``selectors``); it owns no data. The chart URLs answer the same JSON as the API."""

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.campaigns.selectors import reminders_for
from chunfeng.reports.selectors import review_queue, todo_for
from chunfeng.rollups.selectors import previous_summary, summary_visible_to

from . import selectors as s
from .home import home_context


@login_required
def home(request):
    user = request.user
    context = {
        "todo": todo_for(user),
        "today": timezone.localdate(),
        "queue": review_queue(user),
        "reminders": reminders_for(user.unit),
    }
    context.update(
        home_context(user, request.GET.get("campaign"), context["todo"], request.GET.get("unit"))
    )
    return render(request, "dashboards/home.html", context)


def _json(found) -> JsonResponse:
    return JsonResponse(found, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


@login_required
def chart_data(request, campaign_id: int, name: str):
    """One chart of a campaign over the user's subtree (``?unit=`` a unit within it)."""
    if name not in s.CHARTS:
        raise Http404(_("没有名为 %(name)s 的图表") % {"name": name})
    campaign = s.dashboard_campaign(request.user, campaign_id)
    root = s.dashboard_root(request.user, request.GET.get("unit"))
    return _json(s.CHARTS[name](campaign, root))


@login_required
def overview_data(request, campaign_id: int):
    campaign = s.dashboard_campaign(request.user, campaign_id)
    root = s.dashboard_root(request.user, request.GET.get("unit"))
    return _json(s.overview(request.user, campaign, root))


@login_required
def composition_data(request, campaign_id: int, unit_code: str, form_code: str):
    """The 汇总 page's composition chart (``?status=`` as the page's)."""
    include = request.GET.get("status", "approved")
    summary = summary_visible_to(request.user, campaign_id, unit_code, form_code, include)
    found = s.composition(summary, previous_summary(summary))
    if found is None:
        raise Http404(_("该表没有筹集与发放的填报项"))
    return _json(found)
