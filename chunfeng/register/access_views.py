"""The ID access log page: who saw or exported which households' full personal numbers, for
auditors (viewers and admins) over their own subtree, with filters by unit, user, household,
purpose and date range."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from chunfeng.core.rules import audits_at_all
from chunfeng.orgunits.selectors import unit_for, units_visible_to

from .access import PURPOSES, id_access_of
from .forms import IdAccessFilterForm

PAGE_SIZE = 100


@login_required
def id_access_list(request):
    if not audits_at_all(request.user):
        raise PermissionDenied(_("只有查看员、管理员可以查阅身份证号码查看记录"))
    form = IdAccessFilterForm(
        request.GET or None,
        units=units_visible_to(request.user),
        purposes=list(PURPOSES.items()),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = id_access_of(
        request.user,
        unit=unit_for(request.user, filters["unit"]) if filters.get("unit") else None,
        username=filters.get("user") or "",
        household=filters.get("household"),
        purpose=filters.get("purpose") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.purpose_label = PURPOSES.get(row.purpose, row.purpose)
    keep = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {"form": form, "page": page, "keep": keep}
    return render(request, "register/id_access.html", context)
