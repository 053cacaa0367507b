"""Small pieces shared by the endpoints: a record's number in a path (``RecordId``), the caller's
own unit, money as text, refused query parameters, page slicing, a file received only once its
sender may send it, and the versions of contract (c) as HTTP headers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Schema
from pydantic import AfterValidator

from chunfeng.core.errors import ApplicationError
from chunfeng.core.uploads import receive
from chunfeng.core.versions import etag, version_from

CENT = Decimal("0.01")
MAX_PAGE_SIZE = 200
MAX_ID = 2**63 - 1  # the largest number of a record: the databases' 64-bit integer


def _held(number: int) -> int:
    """A number beyond any database's integers names no record: 404 before any query (SQLite
    cannot even bind it; Django spares only a lookup of the record's own key)."""
    if not -MAX_ID - 1 <= number <= MAX_ID:
        raise Http404(_("没有这个编号的记录"))
    return number


# A record's number as a path parameter (``household_id: RecordId``)
RecordId = Annotated[int, AfterValidator(_held)]


def own_unit(user):
    """The caller's unit; 404 for a user who belongs to none."""
    if user.unit_id is None:
        raise Http404(_("您不属于任何单位"))
    return user.unit


def money(value) -> str:
    """Yuan as canonical text with two decimals: ``Decimal("650")`` → ``"650.00"``."""
    return str(Decimal(value or 0).quantize(CENT))


def bad_parameter(field: str, message: str) -> ApplicationError:
    """A query parameter the endpoint cannot use: 400 naming it."""
    return ApplicationError(
        message, code="bad_parameter", details=[{"field": field, "message": message}]
    )


def choice(field: str, value: str | None, allowed) -> str | None:
    """``value`` when it is one of ``allowed`` (or empty: no filter), else 400."""
    if not value:
        return None
    allowed = list(allowed)
    if value not in allowed:
        raise bad_parameter(field, f"{field} 只能是 {' / '.join(allowed)}，不能是“{value}”")
    return value


def page_of(queryset: QuerySet, page: int, page_size: int, *, max_size: int = MAX_PAGE_SIZE):
    """``(rows of that page, total count)``; a page past the end is empty."""
    if page < 1:
        raise bad_parameter("page", "page 应为从 1 开始的整数")
    if not 1 <= page_size <= max_size:
        raise bad_parameter("page_size", f"page_size 应在 1～{max_size} 之间")
    count = queryset.count()
    start = (page - 1) * page_size
    if start >= count:  # past the end (a page number too large for the database's offset too)
        return [], count
    return list(queryset[start : start + page_size]), count


class PageMeta(Schema):
    count: int
    page: int
    page_size: int


@contextmanager
def fields_named(names: dict[str, str]) -> Iterator[None]:
    """Where the API calls a field by another name than the service (``date`` for the
    service's ``paid_on``): an error's details name the API's field."""
    try:
        yield
    except ApplicationError as exc:
        for detail in exc.details:
            if isinstance(detail, dict) and detail.get("field") in names:
                detail["field"] = names[detail["field"]]
        raise


def multipart_file(description: str) -> dict:
    """The OpenAPI request body of an endpoint that receives its file itself (after asking who
    may send it), in place of a ``File`` parameter, which ninja would read first."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {
                                "type": "string",
                                "format": "binary",
                                "description": description,
                            }
                        },
                        "required": ["file"],
                    }
                }
            },
        }
    }


def uploaded_file(request: HttpRequest, limit: int):
    """The ``file`` of a multipart upload, received with ``limit`` (ask who may send it first)."""
    upload = receive(request, limit).get("file")
    if upload is None:
        raise ApplicationError(  # the answer of a body without a required field (422)
            "请求内容格式不正确：file：缺少此项（请以 multipart/form-data 上传，字段名 file）",
            code="invalid_request",
            details=[{"field": "file", "message": "缺少此项"}],
        )
    return upload


# --- versions (contract (c)) -------------------------------------------------------------------

IF_MATCH_DOC = (
    '读取时得到的 `ETag`（如 `"3"`）。给出时，若记录在此之后已被他人修改，返回 409 且不保存，'
    "`details` 逐项列出现存值与您提交的值；不给出时照旧保存（旧客户端），但可能覆盖他人的修改。"
)


def if_match_header():
    """The ``If-Match`` request header, documented: ``if_match: str | None = if_match_header()``."""
    return Header(None, alias="If-Match", description=IF_MATCH_DOC)


def read_version(if_match: str | None) -> int | None:
    """The version the client read, from ``If-Match`` (None: no version sent)."""
    if if_match is None or not if_match.strip() or if_match.strip() == "*":
        return None
    version = version_from(if_match)
    if version is None:
        raise bad_parameter(
            "If-Match", f'If-Match 应为读取时得到的 ETag（如 "3"），不能是 {if_match}'
        )
    return version


def send_version(response: HttpResponse, version: int) -> None:
    response["ETag"] = etag(version)
