"""确认发放 on evidence through the API: the bank's result file of a batch paid by bank (with the
mapping of its columns and a template), the signed sheet of a cash or goods batch, and a
reviewer's confirmation of it. The sender's right is asked before an upload's body is read;
each upload is bounded by its route's limit (``core.uploads``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from chunfeng.core.uploads import DOCUMENT, SHORT_LIST, upload_route
from chunfeng.funds.confirmation import (
    bank_result_import,
    bank_template_csv,
    read_bank_rows,
    signed_sheet_confirm,
    signed_sheet_upload,
)
from chunfeng.funds.models import PaymentLine
from chunfeng.funds.selectors import batch_for
from chunfeng.funds.services import require_writer

from .common import RecordId, money, multipart_file, uploaded_file
from .errors import error_responses
from .payments import BatchDetailOut, _detail
from .values import StrictIn

router = Router(tags=["实名发放"])
upload_route("api:batch-bank-result", SHORT_LIST)
upload_route("api:batch-signed-sheet", DOCUMENT)


class FailedOut(Schema):
    line: int
    name: str
    id_number: str = Field(description="掩码")
    amount: str
    reason: str


class BankResultOut(Schema):
    paid: list[int] = Field(description="确认入账的发放记录")
    failed: list[FailedOut] = Field(description="代发失败的发放记录：已撤出本批次，待重新发放")
    unmatched: list[str] = Field(description="与本批次任何发放记录都对不上的行（第 n 行：…）")
    pending: int = Field(description="仍未见银行结果的发放记录数")
    confirmed: bool = Field(description="全部入账，批次已确认发放并锁定")
    batch: BatchDetailOut


def _failed(line: PaymentLine) -> dict:
    return {
        "line": line.pk,
        "name": line.name,
        "id_number": line.shown_number,
        "amount": money(line.amount),
        "reason": line.result_reason,
    }


@router.get(
    "/bank-result-template",
    response={200: None},
    summary="银行结果文件模板",
    openapi_extra={"responses": {200: {"description": "CSV 模板", "content": {"text/csv": {}}}}},
)
def bank_template(request: HttpRequest):
    response = HttpResponse(bank_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "银行结果导入模板.csv")
    return response


@router.post(
    "/{batch_id}/bank-result",
    response={200: BankResultOut, **error_responses(400, 403, 404, 409, 413, 422)},
    summary="导入银行结果文件",
    url_name="batch-bank-result",
    openapi_extra=multipart_file("银行返回的结果文件：xlsx、xls 或 csv，不超过 5 MB"),
)
def bank_result(
    request: HttpRequest,
    batch_id: RecordId,
    column_number: str = "",
    column_amount: str = "",
    column_result: str = "",
    column_reason: str = "",
):
    """已审批（已导出银行代发文件）的批次，导入银行返回的结果文件（multipart，字段名 file）：
    每行一笔，列为 账号或身份证号码、金额、结果（成功/失败）、原因；列名不同时用
    `column_number`、`column_amount`、`column_result`、`column_reason` 指明文件中的列名。
    按号码和金额对上的记录：成功的确认入账，失败的撤出批次、列入待重新发放；对不上的行按行号
    列出。全部入账后批次确认并锁定。无法识别的单元格：400，逐处列出，不导入任何结果。"""
    user = request.auth
    batch = batch_for(user, batch_id)
    require_writer(
        user, batch.unit, _("确认%(unit)s的发放批次") % {"unit": batch.unit.name}
    )  # before the body
    file = uploaded_file(request, SHORT_LIST)
    mapping = {
        "number": column_number,
        "amount": column_amount,
        "result": column_result,
        "reason": column_reason,
    }
    rows = read_bank_rows(file.read(), file.name or "", mapping)
    result = bank_result_import(batch=batch, rows=rows, actor=user)
    return {
        "paid": [line.pk for line in result.paid],
        "failed": [_failed(line) for line in result.failed],
        "unmatched": result.unmatched,
        "pending": result.pending,
        "confirmed": result.confirmed,
        "batch": _detail(user, batch.pk),
    }


@router.post(
    "/{batch_id}/signed-sheet",
    response={200: BatchDetailOut, **error_responses(400, 403, 404, 409, 413, 422)},
    summary="上传签领表",
    url_name="batch-signed-sheet",
    openapi_extra=multipart_file("签字后的签领表扫描件或照片：JPG、PNG 或 PDF，不超过 20 MB"),
)
def signed_sheet(request: HttpRequest, batch_id: RecordId):
    """现金、实物现场发放的批次，由发放单位（或上级单位）的填报员、管理员上传签字后的签领表
    （multipart，字段名 file），再由上级单位审核员核对确认。名单变动后须重新上传。"""
    user = request.auth
    batch = batch_for(user, batch_id)
    require_writer(
        user, batch.unit, _("上传%(unit)s的签领表") % {"unit": batch.unit.name}
    )  # before the body
    file = uploaded_file(request, DOCUMENT)
    signed_sheet_upload(batch=batch, content=file.read(), name=file.name or "", actor=user)
    return _detail(user, batch.pk)


class SheetConfirmIn(StrictIn):
    note: str = Field("", description="核对说明（可省略）")


@router.post(
    "/{batch_id}/signed-sheet/confirm",
    response={200: BatchDetailOut, **error_responses(400, 403, 404, 409, 422)},
    summary="核对签领表并确认发放",
)
def signed_sheet_confirmed(request: HttpRequest, batch_id: RecordId, payload: SheetConfirmIn):
    """发放单位上级单位的审核员核对已上传的签领表后确认发放（其他角色 403），批次从此锁定。
    尚未上传签领表、没有发放记录时 400；仍有未处理的重复发放提示、或已确认时 409。"""
    user = request.auth
    batch = batch_for(user, batch_id)
    signed_sheet_confirm(batch=batch, actor=user, note=payload.note)
    return _detail(user, batch.pk)
