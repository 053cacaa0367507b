"""The funds pages under /funds/: ledger, receipts, payment batches (lines, import, confirm,
prints and the bank file), visits, duplicate flags and coverage.

Reads are scoped to the user's subtree (404 outside it); writes need a filler or admin of the
unit or above (403 otherwise), flag resolution a reviewer above the line's unit."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from chunfeng.accounts.models import Role
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.orgunits.selectors import unit_for, units_visible_to
from chunfeng.register.idnumbers import InvalidIdNumber, mask, parse_id
from chunfeng.register.selectors import households_visible_to
from chunfeng.register.services import can_see_full_ids

from . import printing
from .coverage import coverage
from .duplicates import duplicates_preview, duplicates_scan, flag_message
from .forms import (
    BatchForm,
    CancelForm,
    ConfirmForm,
    ImportForm,
    LineForm,
    ReceiptForm,
    ResolveForm,
    VisitForm,
)
from .linefiles import import_template_csv, read_line_rows
from .models import BatchStatus, DuplicateFlag, FlagStatus, PaymentBatch
from .selectors import (
    batch_for,
    batch_lines,
    batches_visible_to,
    chosen_campaign,
    flag_for,
    funds_campaigns_visible_to,
    ledger_for,
    line_for,
    open_flags_visible_to,
    receipts_visible_to,
    visits_visible_to,
)
from .services import (
    IMPORT_COLUMNS,
    batch_confirm,
    batch_create,
    can_resolve,
    can_write_funds,
    flag_resolve,
    line_add,
    line_cancel,
    lines_import,
    receipt_create,
    visit_create,
)

MISSING_PAGE = 200


# ---- helpers --------------------------------------------------------------------------------


def _campaign(request):
    return chosen_campaign(
        request.user, request.GET.get("campaign") or request.POST.get("campaign")
    )


def _writable_units(user):
    if not (user.is_active and user.role in (Role.FILLER, Role.ADMIN)):
        return []
    return list(units_visible_to(user).filter(active=True))


def _is_writer(user) -> bool:
    return user.role in (Role.FILLER, Role.ADMIN)


def _scope_unit(request):
    code = request.GET.get("unit")
    return unit_for(request.user, code) if code else request.user.unit


def _writer_unit(request, code: str):
    """The posted unit: 404 outside the subtree, 403 when the user may not write for it."""
    unit = unit_for(request.user, code)
    if not can_write_funds(request.user, unit):
        raise PermissionDenied("您不能为该单位登记资金或发放（只有填报员、管理员可以）")
    return unit


def _apply_errors(form, exc: ApplicationError) -> None:
    placed = False
    for detail in exc.details:
        name = detail.get("field") if isinstance(detail, dict) else None
        if name in form.fields:
            form.add_error(name, detail.get("message", exc.message))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _no_campaign(request):
    return render(request, "funds/no_campaign.html", status=200)


def _base(request, campaign, **extra) -> dict:
    return {
        "campaign": campaign,
        "campaigns": funds_campaigns_visible_to(request.user).order_by("-period_start", "-id"),
        "is_writer": _is_writer(request.user),
        **extra,
    }


def _back(name: str, campaign, **kwargs) -> str:
    return f"{reverse(name, kwargs=kwargs or None)}?campaign={campaign.pk}"


# ---- the ledger -----------------------------------------------------------------------------


@login_required
def funds_home(request):
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    unit = _scope_unit(request)
    ledger = ledger_for(request.user, campaign, unit)
    return render(request, "funds/home.html", _base(request, campaign, ledger=ledger, unit=unit))


# ---- receipts -------------------------------------------------------------------------------


def _render_receipts(request, campaign, form=None, status=200):
    unit = _scope_unit(request)
    receipts = (
        receipts_visible_to(request.user)
        .filter(campaign=campaign, unit__path__startswith=unit.path)
        .order_by("unit__path", "-received_on", "-id")
    )
    units = _writable_units(request.user)
    if form is None and units:
        form = ReceiptForm(units=units, initial={"unit": request.user.unit.code})
    context = _base(request, campaign, receipts=receipts, form=form, unit=unit,
                    total=receipts.aggregate(s=Sum("amount"))["s"])  # fmt: skip
    return render(request, "funds/receipts.html", context, status=status)


@login_required
def receipt_list(request):
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    return _render_receipts(request, campaign)


@login_required
@require_POST
def receipt_add(request):
    campaign = _campaign(request)
    if campaign is None:
        raise Http404("没有可登记的活动")
    unit = _writer_unit(request, request.POST.get("unit", ""))
    form = ReceiptForm(request.POST, units=_writable_units(request.user))
    if not form.is_valid():
        return _render_receipts(request, campaign, form, status=400)
    data = form.cleaned_data
    try:
        receipt = receipt_create(unit=unit, campaign=campaign, source=data["source"],
                                 amount=data["amount"], received_on=data["received_on"],
                                 note=data["note"], actor=request.user)  # fmt: skip
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        _apply_errors(form, exc)
        return _render_receipts(request, campaign, form, status=400)
    messages.success(request, f"已登记{unit.name}的{receipt.get_source_display()} "
                              f"{receipt.amount:,.2f} 元")  # fmt: skip
    return redirect(_back("receipt-list", campaign))


# ---- batches --------------------------------------------------------------------------------


def _render_batches(request, campaign, form=None, status=200):
    unit = _scope_unit(request)
    live = Q(lines__cancelled=False)
    batches = (
        batches_visible_to(request.user)
        .filter(campaign=campaign, unit__path__startswith=unit.path)
        .annotate(
            recipients=Count("lines", filter=live),
            total=Sum("lines__amount", filter=live),
            # a subquery: joining the flags here would count a flagged line more than once
            open_flags=Coalesce(
                Subquery(
                    DuplicateFlag.objects.filter(line__batch=OuterRef("pk"), status=FlagStatus.OPEN)
                    .values("line__batch")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("unit__path", "-created_at", "-id")
    )
    units = _writable_units(request.user)
    if form is None and units:
        form = BatchForm(units=units, initial={"unit": request.user.unit.code})
    context = _base(request, campaign, batches=batches, form=form, unit=unit)
    return render(request, "funds/batches.html", context, status=status)


@login_required
def batch_list(request):
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    return _render_batches(request, campaign)


@login_required
@require_POST
def batch_new(request):
    campaign = _campaign(request)
    if campaign is None:
        raise Http404("没有可登记的活动")
    unit = _writer_unit(request, request.POST.get("unit", ""))
    form = BatchForm(request.POST, units=_writable_units(request.user))
    if not form.is_valid():
        return _render_batches(request, campaign, form, status=400)
    try:
        batch = batch_create(unit=unit, campaign=campaign, name=form.cleaned_data["name"],
                             actor=request.user)  # fmt: skip
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        _apply_errors(form, exc)
        return _render_batches(request, campaign, form, status=400)
    messages.success(request, f"已建立发放批次“{batch.name}”，请逐户添加或导入发放名单")
    return redirect("batch-detail", batch.pk)


def _render_batch(request, batch: PaymentBatch, *, status=200, **forms):
    lines = list(batch_lines(batch))
    flags_by_line: dict[int, list] = {}
    for flag in _batch_flags(batch):
        flags_by_line.setdefault(flag.line_id, []).append(flag)
    for line in lines:
        line.masked_id = mask(line.id_number)
        line.open_flags = [flag_message(f) for f in flags_by_line.get(line.pk, [])
                           if f.status == FlagStatus.OPEN]  # fmt: skip
        line.closed_flags = [f for f in flags_by_line.get(line.pk, [])
                             if f.status != FlagStatus.OPEN]  # fmt: skip
    live = [line for line in lines if not line.cancelled]
    writable = can_write_funds(request.user, batch.unit) and batch.status == BatchStatus.DRAFT
    context = {
        "batch": batch, "campaign": batch.campaign, "lines": lines,
        "live_count": len(live), "live_total": sum((line.amount for line in live), 0),
        "open_flag_count": sum(len(line.open_flags) for line in lines),
        "writable": writable,
        "can_bank": can_see_full_ids(request.user, batch.unit),
        "line_form": _with_precheck(forms.get("line_form") or (LineForm() if writable else None),
                                    batch),
        "import_form": forms.get("import_form") or (ImportForm() if writable else None),
        "confirm_form": forms.get("confirm_form") or (ConfirmForm() if writable else None),
        "import_error": forms.get("import_error"), "columns": IMPORT_COLUMNS,
    }  # fmt: skip
    return render(request, "funds/batch_detail.html", context, status=status)


def _with_precheck(form, batch):
    """The ID field asks the server, as the user types, whether the family was already paid."""
    if form is not None:
        form.fields["id_number"].widget.attrs.update({
            "hx-get": reverse("batch-line-precheck", args=[batch.pk]),
            "hx-trigger": "input changed delay:400ms, change",
            "hx-target": "#precheck", "hx-swap": "innerHTML", "autocomplete": "off",
        })  # fmt: skip
    return form


@login_required
def line_precheck(request, pk: int):
    """HTMX: before a line is saved, say whether this family was already paid in the campaign
    (by this or any other union of the federation)."""
    batch = _writable_batch(request, pk)
    raw = request.GET.get("id_number", "")
    try:
        number = parse_id(raw).number
    except InvalidIdNumber as exc:
        notes = [str(exc)] if len(raw.strip()) >= 15 else []
        return render(request, "funds/_precheck.html", {"notes": notes, "level": "error"})
    household = (
        households_visible_to(request.user).filter(id_number=number, status="active").first()
    )
    if household is None:
        notes = [f"{mask(number)} 不在您管辖范围内的在档困难职工中，请先建档。"]
        return render(request, "funds/_precheck.html", {"notes": notes, "level": "error"})
    notes = duplicates_preview(campaign=batch.campaign, unit=batch.unit, household=household)
    context = {"notes": notes, "level": "warning", "household": household}
    return render(request, "funds/_precheck.html", context)


def _batch_flags(batch: PaymentBatch):
    return DuplicateFlag.objects.filter(line__batch=batch).select_related(
        "line", "other__unit", "other__batch", "resolved_by"
    )


@login_required
def batch_detail(request, pk: int):
    return _render_batch(request, batch_for(request.user, pk))


def _writable_batch(request, pk: int) -> PaymentBatch:
    batch = batch_for(request.user, pk)
    if not can_write_funds(request.user, batch.unit):
        raise PermissionDenied("只有本单位或上级单位的填报员、管理员可以修改发放批次")
    return batch


@login_required
@require_POST
def line_add_view(request, pk: int):
    batch = _writable_batch(request, pk)
    form = LineForm(request.POST)
    if not form.is_valid():
        return _render_batch(request, batch, status=400, line_form=form)
    data = form.cleaned_data
    try:
        line = line_add(batch=batch, id_number=data["id_number"], amount=data["amount"],
                        kind=data["kind"], goods=data["goods"], aid_type=data["aid_type"],
                        paid_on=data["paid_on"], actor=request.user)  # fmt: skip
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        _apply_errors(form, exc)
        return _render_batch(request, batch, status=400, line_form=form)
    messages.success(request, f"已添加 {line.name}，{line.amount:,.2f} 元")
    for text in line.messages:
        messages.warning(request, text)
    return redirect("batch-detail", batch.pk)


@login_required
@require_POST
def line_import_view(request, pk: int):
    batch = _writable_batch(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_batch(request, batch, status=400, import_form=form)
    try:
        rows = read_line_rows(form.cleaned_data["file"])
        result = lines_import(batch=batch, rows=rows, actor=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        return _render_batch(request, batch, status=400, import_form=form, import_error=exc)
    messages.success(request, f"导入成功，共 {len(result.lines)} 户")
    for text in result.messages:
        messages.warning(request, text)
    return redirect("batch-detail", batch.pk)


@login_required
@require_POST
def batch_confirm_view(request, pk: int):
    batch = _writable_batch(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _render_batch(request, batch, status=400, confirm_form=form)
    try:
        batch_confirm(batch=batch, basis=form.cleaned_data["basis"],
                      note=form.cleaned_data["note"], actor=request.user)  # fmt: skip
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        _apply_errors(form, exc)
        return _render_batch(request, batch, status=400, confirm_form=form)
    messages.success(request, f"批次“{batch.name}”已确认发放，已锁定")
    return redirect("batch-detail", batch.pk)


@login_required
@require_POST
def line_cancel_view(request, pk: int):
    line = line_for(request.user, pk)
    if not can_write_funds(request.user, line.unit):
        raise PermissionDenied("只有本单位或上级单位的填报员、管理员可以撤销发放记录")
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("请填写撤销原因")
        line_cancel(line=line, reason=form.cleaned_data["reason"], actor=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销 {line.name} 的发放记录")
    return redirect("batch-detail", line.batch_id)


# ---- prints and files -----------------------------------------------------------------------


def _file(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def batch_sign_sheet(request, pk: int):
    batch = batch_for(request.user, pk)
    data = printing.sign_sheet_pdf(batch=batch, user=request.user)
    return _file(data, f"签领表-{batch.unit.name}-{batch.name}.pdf", "application/pdf")


@login_required
def batch_notice(request, pk: int):
    batch = batch_for(request.user, pk)
    try:
        start = dt.date.fromisoformat(request.GET["start"]) if request.GET.get("start") else None
        days = int(request.GET.get("days") or printing.NOTICE_DAYS)
    except ValueError:
        start, days = None, printing.NOTICE_DAYS
    data = printing.notice_pdf(batch=batch, start=start, days=max(1, min(days, 60)))
    return _file(data, f"公示名单-{batch.unit.name}-{batch.name}.pdf", "application/pdf")


@login_required
def batch_bank(request, pk: int):
    batch = batch_for(request.user, pk)
    try:
        data = printing.bank_csv(batch=batch, user=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("batch-detail", batch.pk)
    return _file(data, f"银行代发-{batch.unit.name}-{batch.name}.csv", "text/csv; charset=utf-8")


@login_required
def import_template(request):
    return _file(import_template_csv().encode("utf-8"), "发放名单导入模板.csv",
                 "text/csv; charset=utf-8")  # fmt: skip


# ---- visits ---------------------------------------------------------------------------------


def _render_visits(request, campaign, form=None, status=200):
    unit = _scope_unit(request)
    visits = (
        visits_visible_to(request.user)
        .filter(campaign=campaign, unit__path__startswith=unit.path)
        .order_by("-visited_on", "-id")
    )
    units = _writable_units(request.user)
    if form is None and units:
        form = VisitForm(units=units, initial={"unit": request.user.unit.code})
    counts = visits.aggregate(
        enterprises=Count("id", filter=Q(kind="enterprise")),
        hardship=Count("id", filter=Q(kind="enterprise", is_hardship_enterprise=True)),
        households=Count("household", distinct=True, filter=Q(kind="household")),
    )
    context = _base(request, campaign, visits=visits[:500], form=form, unit=unit, counts=counts)
    return render(request, "funds/visits.html", context, status=status)


@login_required
def visit_list(request):
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    return _render_visits(request, campaign)


@login_required
@require_POST
def visit_add(request):
    campaign = _campaign(request)
    if campaign is None:
        raise Http404("没有可登记的活动")
    unit = _writer_unit(request, request.POST.get("unit", ""))
    form = VisitForm(request.POST, units=_writable_units(request.user))
    if not form.is_valid():
        return _render_visits(request, campaign, form, status=400)
    data = form.cleaned_data
    try:
        visit = visit_create(
            unit=unit, campaign=campaign, kind=data["kind"], visited_on=data["visited_on"],
            visitors=data["visitors"], id_number=data["id_number"],
            enterprise=data["enterprise"], is_hardship_enterprise=data["is_hardship_enterprise"],
            note=data["note"], actor=request.user,
        )  # fmt: skip
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        _apply_errors(form, exc)
        return _render_visits(request, campaign, form, status=400)
    what = visit.household.name if visit.household else visit.enterprise
    messages.success(request, f"已登记{visit.get_kind_display()}：{what}")
    return redirect(_back("visit-list", campaign))


# ---- duplicates -----------------------------------------------------------------------------


@login_required
def duplicate_list(request):
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    flags = list(open_flags_visible_to(request.user, campaign)[:500])
    for flag in flags:
        flag.message = flag_message(flag)
        flag.resolvable = can_resolve(request.user, flag)
    scan = duplicates_scan(campaign, request.user.unit) if request.GET.get("scan") else None
    context = _base(request, campaign, flags=flags, form=ResolveForm(), scan=scan,
                    is_reviewer=request.user.role == Role.REVIEWER)  # fmt: skip
    return render(request, "funds/duplicates.html", context)


@login_required
@require_POST
def flag_resolve_view(request, pk: int):
    flag = flag_for(request.user, pk)
    if not can_resolve(request.user, flag):
        raise PermissionDenied("只有上级单位（或活动发起单位）的审核员可以处理重复发放提示")
    form = ResolveForm(request.POST)
    back = _back("duplicate-list", flag.line.campaign)
    if not form.is_valid():
        messages.error(request, "请选择处理结果")
        return redirect(back)
    try:
        flag = flag_resolve(flag=flag, outcome=form.cleaned_data["outcome"],
                            reason=form.cleaned_data["reason"], actor=request.user)  # fmt: skip
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已处理：{flag.line.name} — {flag.get_status_display()}")
    return redirect(back)


# ---- coverage -------------------------------------------------------------------------------


@login_required
def coverage_page(request):
    campaign = _campaign(request)
    if campaign is None:
        return _no_campaign(request)
    unit = _scope_unit(request)
    result = coverage(campaign, unit)
    page = Paginator(result.missing, MISSING_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for household in page.object_list:
        household.masked_id = mask(household.id_number)
    context = _base(request, campaign, unit=unit, result=result, page=page)
    return render(request, "funds/coverage.html", context)
