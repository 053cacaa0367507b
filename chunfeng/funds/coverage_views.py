"""The coverage list's visit in place: one form per household not yet reached, posted by HTMX
(the row comes back, saying the visit is recorded or why not) or plainly (back to the list).
The same service as the visits page (``visit_create``): the activity period rule applies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.personal import mask_id, mask_phone
from chunfeng.core.rules import keeps_records_at_all
from chunfeng.core.web import caught, field_problems
from chunfeng.register.selectors import household_for

from .forms import CoverageVisitForm
from .models import VisitKind
from .views import back, posted_campaign
from .visits import visit_create


@login_required
@require_POST
def coverage_visit(request, pk: int):
    campaign = posted_campaign(request)
    household = household_for(request.user, pk)  # 404 outside the user's subtree
    household.masked_id = mask_id(household.id_number)
    household.masked_phone = mask_phone(household.phone) if household.phone else ""
    form = CoverageVisitForm(request.POST)
    visit, problems = None, []
    if form.is_valid():
        visit, error = caught(
            lambda: visit_create(
                unit=request.user.unit,
                campaign=campaign,
                kind=VisitKind.HOUSEHOLD,
                id_number=household.id_number,
                actor=request.user,
                **form.cleaned_data,
            )
        )
        problems = [message for _field, message in field_problems(error)] if error else []
    else:
        problems = [f"{form.fields[f].label}：{e}" for f, errs in form.errors.items() for e in errs]
    if not request.headers.get("HX-Request"):
        for problem in problems:
            messages.error(request, f"{household.name}：{problem}")
        if visit is not None:
            messages.success(
                request, _("已登记走访：%(household)s") % {"household": household.name}
            )
        return redirect(back("coverage", campaign))
    context = {
        "h": household,
        "campaign": campaign,
        "is_writer": keeps_records_at_all(request.user),
        "visited": visit,
        "visit_form": form,
        "visit_problems": problems,
    }
    return render(request, "funds/_coverage_row.html", context)
