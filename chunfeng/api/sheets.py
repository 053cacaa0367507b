"""The Excel round trip through the API: download a report's template, upload a filled one."""

from __future__ import annotations

import dataclasses

from django.http import HttpRequest
from ninja import Router, Schema

from chunfeng.core.uploads import FORM_FILE, upload_route
from chunfeng.reports.selectors import report_slot_for
from chunfeng.sheets.exports import report_xlsx
from chunfeng.sheets.importer import report_import, require_importer
from chunfeng.sheets.views import file_response

from .common import multipart_file, uploaded_file
from .errors import error_responses
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
def template(request: HttpRequest, campaign_id: int, unit_code: str, form_code: str):
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


@router.post(
    PATH + "/import",
    response={200: ImportOut, **error_responses(400, 403, 404, 409, 413)},
    summary="上传填好的 Excel 模板",
    url_name="report-import",
    openapi_extra=multipart_file("填好的 xlsx/xls 模板，不超过 10 MB"),
)
def import_file(request: HttpRequest, campaign_id: int, unit_code: str, form_code: str):
    """multipart 上传（字段名 file）。数值经过与网页填报相同的类型和审核检查；模板不属于本活动、
    单位或表单，文件损坏、加密、含公式或行被改动时返回 400 并说明原因，问题单元格在 `details`
    中给出 `cell`；此时不保存任何数值。成功时保存为草稿，并返回各审核结果所涉及的单元格。"""
    slot = report_slot_for(request.auth, campaign_id, unit_code, form_code)
    require_importer(slot, request.auth)  # before a byte of the file is read
    file = uploaded_file(request, FORM_FILE)
    result = report_import(slot=slot, data=file.read(), name=file.name or "", actor=request.auth)
    answer = report_answer(dataclasses.replace(slot, report=result.report))

    def cells(results):
        return [{**r.as_dict(), "cells": [result.cells[c] for c in r.fields]} for r in results]

    return {
        **answer,
        "cells": result.cells,
        "error_cells": cells(result.outcome.errors),
        "warning_cells": cells(result.outcome.warnings),
    }
