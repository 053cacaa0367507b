"""The funds pages under /funds/: ledger, receipts, visits, duplicate flags and coverage (the
payment batches are in ``batch_views``).

Reads are scoped to the user's subtree (404 outside it); writes are the services' own rules
(403 for a role that may not), flag resolution a reviewer above the line's unit."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.personal import mask_id, mask_phone
from chunfeng.core.rules import can_write_funds, keeps_records_at_all, reviews_at_all
from chunfeng.core.web import attempt, back_on_error
from chunfeng.orgunits.selectors import unit_for

from .coverage import coverage
from .duplicate_notes import flag_message
from .duplicates import duplicates_scan
from .forms import ReceiptForm, ResolveForm, VisitForm
from .ledger import ledger_for
from .models import FlagStatus
from .receipts import receipt_create
from .selectors import (
    chosen_campaign,
    flag_for,
    flags_of,
    funds_campaigns_newest_first,
    receipts_of,
    receipts_total,
    visit_counts,
    visits_of,
    writable_units,
)
from .services import flag_resolvable_by, flag_resolve
from .visits import visit_create

MISSING_PAGE = 200


# ---- helpers --------------------------------------------------------------------------------


def chosen(request):
    """The campaign of ``?campaign=`` (or the posted one), else the one with the user's current
    work (``current_campaign``); None when none."""
    return chosen_campaign(
        request.user, request.GET.get("campaign") or request.POST.get("campaign")
    )


def posted_campaign(request):
    campaign = chosen(request)
    if campaign is None:
        raise Http404(_("没有可登记的活动"))
    return campaign


def scope_unit(request):
    code = request.GET.get("unit")
    return unit_for(request.user, code) if code else request.user.unit


def writer_unit(request, code: str):
    """The posted unit: 404 outside the subtree, 403 when the user may not write for it."""
    unit = unit_for(request.user, code)
    if not can_write_funds(request.user, unit):
        raise PermissionDenied(_("您不能为该单位登记资金或发放（只有填报员、管理员可以）"))
    return unit


def no_campaign(request):
    return render(request, "funds/no_campaign.html", status=200)


def base(request, campaign, **extra) -> dict:
    return {
        "campaign": campaign,
        "campaigns": funds_campaigns_newest_first(request.user),
        # no campaign asked for: the page says it shows the one with the user's current work
        "campaign_defaulted": not (request.GET.get("campaign") or request.POST.get("campaign")),
        "is_writer": keeps_records_at_all(request.user),
        **extra,
    }


def back(name: str, campaign, **kwargs) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?campaign={campaign.pk}"


def campaign_page(view):
    """A funds page of the chosen campaign (``view(request, campaign)``); the page saying there
    is none when the user sees no campaign."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        campaign = chosen(request)
        if campaign is None:
            return no_campaign(request)
        return view(request, campaign, *args, **kwargs)

    return wrapper


def add_record(request, form_class, page, create):
    """A record posted for the chosen campaign and a unit the user keeps records for: the form
    checked, then ``create(unit, campaign, fields)`` run. ``(None, record)``, or the page again
    with the problems on its form (400) and no record."""
    campaign = posted_campaign(request)
    unit = writer_unit(request, request.POST.get("unit", ""))
    form = form_class(request.POST, units=writable_units(request.user))
    record = None
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        record = attempt(form, lambda: create(unit, campaign, fields))
    if record is None:
        return page(request, campaign, form, status=400), None
    return None, record


# ---- the ledger -----------------------------------------------------------------------------


@campaign_page
def funds_home(request, campaign):
    unit = scope_unit(request)
    ledger = ledger_for(request.user, campaign, unit)
    return render(request, "funds/home.html", base(request, campaign, ledger=ledger, unit=unit))


# ---- receipts -------------------------------------------------------------------------------


def _render_receipts(request, campaign, form=None, status=200):
    unit = scope_unit(request)
    receipts = receipts_of(request.user, campaign=campaign, unit=unit)
    units = writable_units(request.user)
    if form is None and units:
        form = ReceiptForm(units=units, initial={"unit": request.user.unit.code})
    context = base(
        request, campaign, receipts=receipts, form=form, unit=unit, total=receipts_total(receipts)
    )
    return render(request, "funds/receipts.html", context, status=status)


@campaign_page
def receipt_list(request, campaign):
    return _render_receipts(request, campaign)


@login_required
@require_POST
def receipt_add(request):
    refused, receipt = add_record(
        request,
        ReceiptForm,
        _render_receipts,
        lambda unit, campaign, fields: receipt_create(
            unit=unit, campaign=campaign, actor=request.user, **fields
        ),
    )
    if refused:
        return refused
    messages.success(
        request,
        f"已登记{receipt.unit.name}的{receipt.get_source_display()} {receipt.amount:,.2f} 元",
    )
    return redirect(back("receipt-list", receipt.campaign))


# ---- visits ---------------------------------------------------------------------------------


def _render_visits(request, campaign, form=None, status=200):
    unit = scope_unit(request)
    visits = visits_of(request.user, campaign=campaign, unit=unit)
    units = writable_units(request.user)
    if form is None and units:
        form = VisitForm(units=units, initial={"unit": request.user.unit.code})
    context = base(
        request, campaign, visits=visits[:500], form=form, unit=unit, counts=visit_counts(visits)
    )
    return render(request, "funds/visits.html", context, status=status)


@campaign_page
def visit_list(request, campaign):
    return _render_visits(request, campaign)


@login_required
@require_POST
def visit_add(request):
    refused, visit = add_record(
        request,
        VisitForm,
        _render_visits,
        lambda unit, campaign, fields: visit_create(
            unit=unit, campaign=campaign, actor=request.user, **fields
        ),
    )
    if refused:
        return refused
    what = visit.household.name if visit.household else visit.enterprise
    messages.success(
        request, _("已登记%(kind)s：%(what)s") % {"kind": visit.get_kind_display(), "what": what}
    )
    return redirect(back("visit-list", visit.campaign))


# ---- duplicates -----------------------------------------------------------------------------


@campaign_page
def duplicate_list(request, campaign):
    flags = list(flags_of(request.user, campaign=campaign, status=FlagStatus.OPEN)[:500])
    for flag in flags:
        flag.message = flag_message(flag, request.user)
        flag.resolvable = flag_resolvable_by(request.user, flag)
        flag.line_shown = flag.line.unit.is_within(request.user.unit)
    scan = duplicates_scan(campaign, request.user.unit) if request.GET.get("scan") else None
    context = base(
        request,
        campaign,
        flags=flags,
        form=ResolveForm(),
        scan=scan,
        is_reviewer=reviews_at_all(request.user),
    )
    return render(request, "funds/duplicates.html", context)


def _flag_back(request, pk: int) -> str:
    return back("duplicate-list", flag_for(request.user, pk).line.campaign)


@login_required
@require_POST
@back_on_error(_flag_back)
def flag_resolve_view(request, pk: int):
    flag = flag_for(request.user, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果"))
        return redirect(_flag_back(request, pk))
    flag = flag_resolve(
        flag=flag,
        outcome=form.cleaned_data["outcome"],
        reason=form.cleaned_data["reason"],
        actor=request.user,
    )
    messages.success(
        request,
        _("已处理：%(line)s — %(status)s")
        % {"line": flag.line.name, "status": flag.get_status_display()},
    )
    return redirect(_flag_back(request, pk))


# ---- coverage -------------------------------------------------------------------------------


@campaign_page
def coverage_page(request, campaign):
    unit = scope_unit(request)
    result = coverage(campaign, unit)
    page = Paginator(result.missing, MISSING_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for household in page.object_list:
        household.masked_id = mask_id(household.id_number)
        household.masked_phone = mask_phone(household.phone) if household.phone else ""
    context = base(request, campaign, unit=unit, result=result, page=page)
    return render(request, "funds/coverage.html", context)
