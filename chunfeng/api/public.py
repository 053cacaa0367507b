"""The workers' endpoints (no token, no login), apart from the staff's API: submit a request as
text, and read the status of one's own case by its number and phone (posted, never in a URL).
They expose nothing else — this API has no documentation pages and no other route — and share
the public page's rate limit per address."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status
from pydantic import Field

from chunfeng.cases.public import client_address, public_case_status, public_request_submit

from .errors import error_responses, install_error_handlers
from .values import StrictIn

public_api = NinjaAPI(
    title="12351 职工求助",
    version="1",
    urls_namespace="public-api",
    auth=None,
    docs_url=None,
    openapi_url=None,
)
install_error_handlers(public_api)


class WorkerRequestIn(StrictIn):
    caller_name: str
    caller_phone: str
    caller_is_migrant: bool = False
    region: str = Field("", description="事发地区划代码（可不填）")
    category: str = Field("other", description="求助类别")
    description: str


class WorkerReceiptOut(Schema):
    number: str
    due: dt.date


class WorkerStatusIn(StrictIn):
    number: str
    phone: str


class WorkerStatusOut(Schema):
    number: str
    received_on: dt.date
    category: str
    unit: str
    status: str
    due: dt.date
    outcome: str
    recovered: str


@public_api.post("/requests", response={201: WorkerReceiptOut, **error_responses(400, 422, 429)})
def worker_request(request: HttpRequest, payload: WorkerRequestIn):
    case = public_request_submit(data=payload.model_dump(), address=client_address(request))
    return Status(201, {"number": case.number, "due": case.due})


@public_api.post("/status", response={200: WorkerStatusOut, **error_responses(404, 429)})
def worker_status(request: HttpRequest, payload: WorkerStatusIn):
    case = public_case_status(
        number=payload.number, phone=payload.phone, address=client_address(request)
    )
    if case is None:
        message = "没有找到：请核对工单编号和电话"
        return Status(404, {"code": "not_found", "message": message, "details": []})
    return {
        "number": case.number,
        "received_on": case.received_at.date(),
        "category": case.get_category_display(),
        "unit": case.unit.name,
        "status": case.get_status_display(),
        "due": case.due,
        "outcome": case.get_outcome_display() if case.outcome else "",
        "recovered": f"{case.recovered:.2f}",
    }
