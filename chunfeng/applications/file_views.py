"""Pages of 动态管理 and the standards: the files due or overdue for their yearly review (per
unit, then one by one), a file's review, and the 低保标准 per region and year."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.personal import mask_id
from chunfeng.core.rules import can_handle_application
from chunfeng.core.web import attempt
from chunfeng.orgunits.selectors import unit_for
from chunfeng.register.selectors import household_for

from . import forms as f
from .reviews import file_review
from .selectors import (
    file_state_of,
    regions,
    reviews_due,
    reviews_due_by_unit,
    standard_units,
    standards_visible_to,
)
from .services import standard_create

SHOWN = 200


@login_required
def reviews_list(request):
    today = timezone.localdate()
    states = list(reviews_due(request.user, today)[:SHOWN])
    for s in states:
        s.masked_id = mask_id(s.household.id_number)
        s.is_overdue = s.review_due < today
    context = {"by_unit": reviews_due_by_unit(request.user, today), "states": states}
    return render(request, "applications/reviews.html", context)


@login_required
def file_review_view(request, household: int):
    found = household_for(request.user, household)
    if not can_handle_application(request.user, found.unit):
        raise PermissionDenied(_("只有建档单位可以复核这份档案"))
    initial = {
        "on": timezone.localdate(),
        "family_size": found.family_size,
        "income": found.income,
    }
    form = f.ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: file_review(household=found, actor=request.user, **form.cleaned_data),
        )
        if done is not None:
            messages.success(
                request, f"已完成 {found.name} 的年度复核（{done.get_outcome_display()}）"
            )
            return redirect("household-detail", found.pk)
    context = {
        "household": found,
        "masked_id": mask_id(found.id_number),
        "state": file_state_of(found),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/file_review.html", context, status=status)


@login_required
def standards_page(request):
    units = standard_units(request.user)
    form = None
    if units:
        codes = {u.code for u in units}
        choices = [(c, n) for c, n in regions() if c in codes or c[:4] + "00" in codes]
        form = f.StandardForm(request.POST or None)
        form.fields["region_code"].choices = choices
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            region = data["region_code"]
            unit = unit_for(request.user, region if region in codes else region[:4] + "00")
            data["region_name"] = dict(choices)[region]
            if attempt(form, lambda: standard_create(unit=unit, data=data, actor=request.user)):
                messages.success(request, _("已保存低保标准"))
                return redirect("application-standards")
    elif request.method == "POST":
        raise PermissionDenied(_("您的角色不能设置低保标准"))
    status = 400 if request.method == "POST" else 200
    context = {"standards": standards_visible_to(request.user), "form": form}
    return render(request, "applications/standards.html", context, status=status)
