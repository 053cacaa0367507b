"""The home page: what the user's unit owes, what waits for the user's review, and the 催报
the unit received. Composed from the apps below; it owns no data."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from chunfeng.campaigns.selectors import reminders_for
from chunfeng.reports.selectors import review_queue, todo_for


@login_required
def home(request):
    context = {
        "todo": todo_for(request.user),
        "today": timezone.localdate(),
        "queue": review_queue(request.user),
        "reminders": reminders_for(request.user.unit),
    }
    return render(request, "dashboards/home.html", context)
