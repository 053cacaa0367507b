"""The Excel round trip through the API: download a report's template, upload a filled one."""

from __future__ import annotations

import dataclasses

from django.http import HttpRequest
from ninja import Router, Schema, Status

from chunfeng.core.uploads import FORM_FILE, upload_route
from chunfeng.reports.selectors import report_slot_for
from chunfeng.sheets.exports import report_xlsx
from chunfeng.sheets.importer import UnreadableCells, cells_of, report_import, require_importer
from chunfeng.sheets.views import file_response

from .common import RecordId, multipart_file, uploaded_file
from .errors import ErrorOut, error_responses
from .reports import PATH, ReportOut, report_answer

router = Router(tags=["Excel"])
upload_route("api:report-import", FORM_FILE)


@router.get(
    PATH + "/template",
    response={200: None, **error_responses(404)},
    summary="下载 Excel 模板",
    openapi_extra={
        "responses": {
            200: {
                "description": "xlsx 模板（含本单位已保存的数值）",
                "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}
                },
            }
        }
    },
)
def template(request: HttpRequest, campaign_id: RecordId, unit_code: str, form_code: str):
    slot = report_slot_for(request.auth, campaign_id, unit_code, form_code)
    name = f"{slot.unit.name}-{slot.definition.title}-模板.xlsx"
    return file_response(report_xlsx(slot, "template"), name)


class CellCheckOut(Schema):
    check: str
    message: str
    fields: list[str]
    cells: list[str]


class ImportOut(ReportOut):
    cells: dict[str, str]
    error_cells: list[CellCheckOut]
    warning_cells: list[CellCheckOut]


class CellProblemOut(Schema):
    field: str
    message: str
    cell: str = ""


class ImportRefusedOut(ErrorOut):
    """A refused upload. With code ``bad_values`` or ``formulas`` (cells that cannot be read),
    ``details`` name each such cell and ``error_cells``/``warning_cells`` say what the checks
    would say of the readable values; none of them was saved."""

    details: list[CellProblemOut] = []
    saved: bool = False
    error_cells: list[CellCheckOut] = []
    warning_cells: list[CellCheckOut] = []


def _with_cells(results, cells: dict[str, str]) -> list[dict]:
    return [{**r.as_dict(), "cells": cells_of(r, cells)} for r in results]


@router.post(
    PATH + "/import",
    response={200: ImportOut, 400: ImportRefusedOut, **error_responses(403, 404, 409, 413)},
    summary="上传填好的 Excel 模板",
    url_name="report-import",
    openapi_extra=multipart_file("填好的 xlsx/xls 模板，不超过 10 MB"),
)
def import_file(request: HttpRequest, campaign_id: RecordId, unit_code: str, form_code: str):
    """multipart 上传（字段名 file）。数值经过与网页填报相同的类型和审核检查，一次给出全部结果。
    各单元格都能读取时保存为草稿（200），并返回自动审核的错误和警告及其单元格（报送前须处理）。
    有无法读取的单元格（人数填了文字或小数、负数、公式等）时返回 400（`bad_values`，全是公式时
    `formulas`），不保存任何数据：`details` 列出每个单元格（`cell`、`field`），`error_cells`、
    `warning_cells` 给出对能读取的数值的审核结果（同样未保存，`saved` 为 false）。模板不属于本
    活动、单位或表单，文件损坏、加密或行被改动时也返回 400 并说明原因。"""
    slot = report_slot_for(request.auth, campaign_id, unit_code, form_code)
    require_importer(slot, request.auth)  # before a byte of the file is read
    file = uploaded_file(request, FORM_FILE)
    try:
        result = report_import(
            slot=slot, data=file.read(), name=file.name or "", actor=request.auth
        )
    except UnreadableCells as refused:
        return Status(
            400,
            {
                **refused.as_dict(),
                "saved": False,
                "error_cells": _with_cells(refused.outcome.errors, refused.cells),
                "warning_cells": _with_cells(refused.outcome.warnings, refused.cells),
            },
        )
    answer = report_answer(dataclasses.replace(slot, report=result.report))
    return {
        **answer,
        "cells": result.cells,
        "error_cells": _with_cells(result.outcome.errors, result.cells),
        "warning_cells": _with_cells(result.outcome.warnings, result.cells),
    }
