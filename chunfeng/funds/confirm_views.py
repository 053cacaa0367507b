"""确认发放 pages: the bank's result file (with its column mapping and a template; a long one
applied by a worker, ``bank_jobs``), the signed
sheet of a cash or goods batch (uploaded by the paying union) and a reviewer's confirmation of
it. Uploads are bounded and their sender's right checked before the body is read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.uploads import DOCUMENT, SHORT_LIST, upload_page
from chunfeng.core.web import back_on_error, caught

from .bank_jobs import bank_file_is_long, bank_result_start
from .batch_views import render_batch, writable_batch
from .confirmation import (
    bank_result_import,
    bank_template_csv,
    read_bank_rows,
    signed_sheet_confirm,
    signed_sheet_of,
    signed_sheet_upload,
)
from .forms import BankResultForm, SheetConfirmForm, SignedSheetForm
from .selectors import batch_for


@login_required
@require_POST
@upload_page(limit=SHORT_LIST, permit=lambda request, pk: writable_batch(request, pk))
def bank_result_view(request, pk: int):
    batch = writable_batch(request, pk)  # upload_page asked the same before taking the file
    form = BankResultForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_batch(request, batch, status=400, bank_form=form)
    upload = form.cleaned_data["file"]
    rows, error = caught(lambda: read_bank_rows(upload.read(), upload.name or "", form.mapping()))
    if error is None and bank_file_is_long(rows):  # applied by a worker; its panel shows how
        job = bank_result_start(
            batch=batch, upload=upload, mapping=form.mapping(), actor=request.user
        )
        return render_batch(request, batch, bank_form=form, bank_job=job)
    if error is None:
        result, error = caught(
            lambda: bank_result_import(batch=batch, rows=rows, actor=request.user)
        )
    if error is not None:
        return render_batch(request, batch, status=400, bank_form=form, bank_error=error)
    text = f"银行结果已导入：{len(result.paid)} 笔入账，{len(result.failed)} 笔失败"
    messages.success(request, text + ("，批次已确认发放" if result.confirmed else ""))
    if result.failed:
        messages.warning(
            request, _("%(count)s 笔代发失败，已列入待重新发放名单") % {"count": len(result.failed)}
        )
    if result.pending:
        messages.warning(
            request, _("还有 %(pending)s 笔未见银行结果") % {"pending": result.pending}
        )
    for row in result.unmatched:
        messages.warning(request, row)
    return redirect("batch-detail", batch.pk)


@login_required
def bank_template(request):
    response = HttpResponse(bank_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "银行结果导入模板.csv")
    return response


@login_required
@require_POST
@upload_page(limit=DOCUMENT, permit=lambda request, pk: writable_batch(request, pk))
def signed_sheet_view(request, pk: int):
    batch = writable_batch(request, pk)
    form = SignedSheetForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_batch(request, batch, status=400, sheet_form=form)
    upload = form.cleaned_data["file"]
    _done, error = caught(
        lambda: signed_sheet_upload(
            batch=batch, content=upload.read(), name=upload.name or "", actor=request.user
        )
    )
    if error is not None:
        form.add_error("file", error.message)
        return render_batch(request, batch, status=400, sheet_form=form)
    messages.success(request, _("签领表已上传，请上级单位审核员核对后确认发放"))
    return redirect("batch-detail", batch.pk)


@login_required
def signed_sheet_file(request, pk: int):
    """The uploaded sheet, for the paying union and the reviewers above it."""
    batch = batch_for(request.user, pk)
    sheet = signed_sheet_of(request.user, batch)
    return FileResponse(sheet.open("rb"), filename=batch.signed_sheet_name)


@login_required
@require_POST
@back_on_error(lambda request, pk: reverse("batch-detail", args=[pk]))
def signed_sheet_confirm_view(request, pk: int):
    form = SheetConfirmForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    batch = signed_sheet_confirm(batch=batch_for(request.user, pk), actor=request.user, note=note)
    messages.success(request, _("批次“%(batch)s”已确认发放，已锁定") % {"batch": batch.name})
    return redirect("batch-detail", batch.pk)
