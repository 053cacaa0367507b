"""The payment batch pages: the list, a batch with its real-name lines (added one by one or
imported), cancellation, and the prints (签领表, 公示名单, bank file); confirmation on the
bank's result or the signed sheet is ``confirm_views``."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.personal import is_search_token
from chunfeng.core.printing import spooled_pdf
from chunfeng.core.rules import (
    can_approve_batch,
    can_confirm_signed_sheet,
    can_see_full_ids,
    can_write_funds,
)
from chunfeng.core.uploads import SHORT_LIST, upload_page
from chunfeng.core.web import attempt, back_on_error, caught

from . import printing
from .approval import batch_approve
from .confirmation import failed_lines
from .duplicate_notes import flag_message, precheck_notes
from .forms import BankResultForm, BatchForm, CancelForm, ImportForm, LineForm, SignedSheetForm
from .line_import import IMPORT_COLUMNS, import_template_csv, lines_import, read_line_rows
from .models import BatchStatus, FlagStatus, PaymentBatch
from .selectors import (
    batch_for,
    batch_lines,
    batches_of,
    flags_by_line,
    household_to_pay,
    line_for,
    writable_units,
)
from .services import batch_create, line_add, line_cancel
from .views import add_record, base, campaign_page, scope_unit


def _render_batches(request, campaign, form=None, status=200):
    unit = scope_unit(request)
    batches = batches_of(request.user, campaign=campaign, unit=unit)
    units = writable_units(request.user)
    if form is None and units:
        form = BatchForm(units=units, initial={"unit": request.user.unit.code})
    context = base(request, campaign, batches=batches, form=form, unit=unit)
    return render(request, "funds/batches.html", context, status=status)


@campaign_page
def batch_list(request, campaign):
    return _render_batches(request, campaign)


@login_required
@require_POST
def batch_new(request):
    refused, batch = add_record(
        request,
        BatchForm,
        _render_batches,
        lambda unit, campaign, fields: batch_create(
            unit=unit, campaign=campaign, actor=request.user, **fields
        ),
    )
    if refused:
        return refused
    messages.success(
        request, _("已建立发放批次“%(batch)s”，请逐户添加或导入发放名单") % {"batch": batch.name}
    )
    return redirect("batch-detail", batch.pk)


def confirmation_context(request, batch: PaymentBatch, writable: bool, forms: dict) -> dict:
    """确认发放 on evidence: the bank's result file of an approved batch, or the signed sheet
    uploaded by the paying union and confirmed by a reviewer above it."""
    draft = batch.status == BatchStatus.DRAFT
    return {
        "bank_form": forms.get("bank_form")
        or (BankResultForm() if writable and batch.approved_at else None),
        "bank_error": forms.get("bank_error"),
        "bank_result": forms.get("bank_result"),
        "bank_job": forms.get("bank_job"),
        "sheet_form": forms.get("sheet_form") or (SignedSheetForm() if writable else None),
        "can_confirm_sheet": draft
        and bool(batch.signed_sheet)
        and can_confirm_signed_sheet(request.user, batch.unit),
        "failed_lines": list(failed_lines(batch)),
    }


def render_batch(request, batch: PaymentBatch, *, status=200, **forms):
    lines = list(batch_lines(batch))
    flags = flags_by_line(lines)
    for line in lines:
        line.masked_id = line.shown_number
        line.open_flags = [
            flag_message(f, request.user)
            for f in flags.get(line.pk, [])
            if f.status == FlagStatus.OPEN
        ]
        line.closed_flags = [f for f in flags.get(line.pk, []) if f.status != FlagStatus.OPEN]
    live = [line for line in lines if not line.cancelled]
    writable = can_write_funds(request.user, batch.unit) and batch.status == BatchStatus.DRAFT
    # the date proposed is today, kept within the activity period (a date outside is refused)
    paid_on = min(max(timezone.localdate(), batch.campaign.period_start), batch.campaign.period_end)
    line_form = forms.get("line_form") or (
        LineForm(initial={"paid_on": paid_on}) if writable else None
    )
    context = {
        "batch": batch,
        "campaign": batch.campaign,
        "lines": lines,
        "live_count": len(live),
        "live_total": sum((line.amount for line in live), 0),
        "open_flag_count": sum(len(line.open_flags) for line in lines),
        "writable": writable,
        "can_bank": can_see_full_ids(request.user, batch.unit),
        "can_approve": batch.status == BatchStatus.DRAFT
        and batch.approved_at is None
        and can_approve_batch(request.user, batch.unit),
        "line_form": _with_precheck(line_form, batch),
        "import_form": forms.get("import_form") or (ImportForm() if writable else None),
        "import_error": forms.get("import_error"),
        **confirmation_context(request, batch, writable, forms),
        "columns": IMPORT_COLUMNS,
    }
    return render(request, "funds/batch_detail.html", context, status=status)


def _with_precheck(form, batch):
    """The ID field asks the server, as the user types, whether the family was already paid."""
    if form is not None:
        form.fields["id_number"].widget.attrs.update(
            {
                # posted: the number typed must not travel in a URL (contract (b))
                "hx-post": reverse("batch-line-precheck", args=[batch.pk]),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#precheck",
                "hx-include": "[name=recipient]",  # a 劳模 or an enterprise is not on file
                "hx-swap": "innerHTML",
                "autocomplete": "off",
            }
        )
    return form


@login_required
def batch_detail(request, pk: int):
    return render_batch(request, batch_for(request.user, pk))


def writable_batch(request, pk: int) -> PaymentBatch:
    """A batch the user may change (the precheck and the forms are shown only to them)."""
    batch = batch_for(request.user, pk)
    if not can_write_funds(request.user, batch.unit):
        raise PermissionDenied(_("只有本单位或上级单位的填报员、管理员可以修改发放批次"))
    return batch


@login_required
@require_POST
def line_precheck(request, pk: int):
    """HTMX: before a line is saved, say whether this family was already paid in the campaign
    (by this or any other union of the federation: another district's payment only said to
    exist). The number is posted, never put in a URL."""
    batch = writable_batch(request, pk)
    notes, level, household = precheck_notes(
        request.user, batch, request.POST.get("id_number", ""), request.POST.get("recipient", "")
    )
    context = {"notes": notes, "level": level, "household": household}
    return render(request, "funds/_precheck.html", context)


@login_required
@require_POST
def line_add_view(request, pk: int):
    batch = batch_for(request.user, pk)
    form = LineForm(request.POST)
    if not form.is_valid():
        return render_batch(request, batch, status=400, line_form=form)
    data = form.cleaned_data
    number = data["id_number"]
    if is_search_token(number):  # a file chosen with the picker (``line_pick``)
        picked = household_to_pay(batch, token=number)
        if picked is None:
            form.add_error("id_number", "所选档案不在本批次单位的管辖范围内，或已不在档")
            return render_batch(request, batch, status=400, line_form=form)
        number = picked.id_number
    line = attempt(
        form,
        lambda: line_add(
            batch=batch,
            recipient=data["recipient"],
            name=data["name"],
            id_number=number,
            amount=data["amount"],
            kind=data["kind"],
            goods=data["goods"],
            aid_type=data["aid_type"],
            paid_on=data["paid_on"],
            actor=request.user,
        ),
    )
    if line is None:
        return render_batch(request, batch, status=400, line_form=form)
    messages.success(
        request,
        _("已添加 %(line)s，%(amount)s 元") % {"line": line.name, "amount": f"{line.amount:,.2f}"},
    )
    for text in line.messages:
        messages.warning(request, text)
    return redirect("batch-detail", batch.pk)


@login_required
@require_POST
@upload_page(limit=SHORT_LIST, permit=lambda request, pk: writable_batch(request, pk))
def line_import_view(request, pk: int):
    batch = writable_batch(request, pk)  # upload_page asked the same before taking the file
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_batch(request, batch, status=400, import_form=form)
    upload = form.cleaned_data["file"]
    result, error = caught(
        lambda: lines_import(batch=batch, rows=read_line_rows(upload), actor=request.user)
    )
    if error is not None:
        return render_batch(request, batch, status=400, import_form=form, import_error=error)
    messages.success(request, _("导入成功，共 %(count)s 户") % {"count": len(result.lines)})
    for text in result.messages:
        messages.warning(request, text)
    return redirect("batch-detail", batch.pk)


@login_required
@require_POST
@back_on_error(lambda request, pk: reverse("batch-detail", args=[pk]))
def batch_approve_view(request, pk: int):
    batch = batch_approve(batch=batch_for(request.user, pk), actor=request.user)
    messages.success(
        request, _("已审批批次“%(batch)s”，可以导出银行代发文件") % {"batch": batch.name}
    )
    return redirect("batch-detail", batch.pk)


def _line_back(request, pk: int) -> str:
    return reverse("batch-detail", args=[line_for(request.user, pk).batch_id])


@login_required
@require_POST
@back_on_error(_line_back)
def line_cancel_view(request, pk: int):
    line = line_for(request.user, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    line_cancel(line=line, reason=reason, actor=request.user)
    messages.success(request, _("已撤销 %(line)s 的发放记录") % {"line": line.name})
    return redirect("batch-detail", line.batch_id)


# ---- prints and files -----------------------------------------------------------------------


def _file(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _pdf(write, filename: str) -> FileResponse:
    """A print written page by page into a temporary file on disk, sent from it."""
    out = spooled_pdf(write)
    return FileResponse(out, as_attachment=True, filename=filename, content_type="application/pdf")


@login_required
def batch_sign_sheet(request, pk: int):
    batch = batch_for(request.user, pk)
    write = partial(printing.write_sign_sheet, batch=batch, user=request.user)
    return _pdf(write, f"签领表-{batch.unit.name}-{batch.name}.pdf")


@login_required
def batch_notice(request, pk: int):
    batch = batch_for(request.user, pk)
    start, days = printing.notice_period(request.GET.get("start"), request.GET.get("days"))
    write = partial(printing.write_notice, batch=batch, start=start, days=days)
    return _pdf(write, f"公示名单-{batch.unit.name}-{batch.name}.pdf")


@login_required
@back_on_error(lambda request, pk: reverse("batch-detail", args=[pk]))
def batch_bank(request, pk: int):
    batch = batch_for(request.user, pk)
    data = printing.bank_csv(batch=batch, user=request.user)
    return _file(data, f"银行代发-{batch.unit.name}-{batch.name}.csv", "text/csv; charset=utf-8")


@login_required
def import_template(request):
    return _file(
        import_template_csv().encode("utf-8"), "发放名单导入模板.csv", "text/csv; charset=utf-8"
    )
