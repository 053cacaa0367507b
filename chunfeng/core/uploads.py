"""Request bodies and uploads: how much a route takes, and who may send it, decided before a
byte of the body is read.

Django reads a request's body the first time anything touches ``request.POST`` or
``request.FILES`` (``CsrfViewMiddleware`` touches ``request.POST`` before the view), keeping each
file in memory or in the temporary directory as it streams in. So:

* ``BodyLimitMiddleware`` answers 413 to a request whose ``Content-Length`` is above its route's
  limit before anything reads the body: ``NON_UPLOAD`` (2 MB) for every route that takes no
  file (the anonymous login page included), the route's own for an upload route. Django never
  reads past ``Content-Length`` (a body without one reads as empty), so a chunked body without
  a length is refused with 411 rather than left to look empty.
* A page that takes a file is decorated with ``upload_page(limit=…, permit=…)``: the view is
  ``csrf_exempt`` so that the middleware does not parse the body; on a POST the decorator asks
  ``permit`` first (it raises ``NotPermitted``, ``PermissionDenied`` or ``Http404``), then
  installs ``LimitedUpload`` in front of Django's upload handlers and parses, then checks the
  CSRF token itself (``csrf_protect``). An endpoint (the API, whose views are CSRF-exempt and
  token-authenticated) asks its rule and then calls ``receive(request, limit)``.
* ``LimitedUpload`` counts the bytes as they stream in and stops the parse at the route's limit
  with a Chinese 413 (``TooLarge``), whatever the request claimed.

The limits per kind of file are here, in one place; what a spreadsheet may unpack to, and its
rows and columns, is ``core.tables``' ``Bounds``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .errors import ApplicationError
from .web import error_page

MB = 1024 * 1024
NON_UPLOAD = 2 * MB  # the body of any request to a route that takes no file
FORM_FILE = 10 * MB  # a filled report template (xlsx/xls)
HOUSEHOLD_LIST = 100 * MB  # a household list (xlsx/xls/csv)
DOCUMENT = 20 * MB  # a work report, a campaign notice (doc/docx/pdf/wps)
SHORT_LIST = 5 * MB  # a unit list, a payment list
# the form fields and multipart boundaries around a file: a body may pass the file's limit by this
ENVELOPE = 256 * 1024

# Upload routes whose views are not functions of ours that ``upload_page`` could mark (the API's
# endpoints), by URL name: the limit the middleware lets through.
_ROUTE_LIMITS: dict[str, int] = {}


class TooLarge(ApplicationError):
    status = 413

    def __init__(self, limit: int):
        super().__init__(
            f"提交的内容超过 {size_text(limit)}，未被接收。请检查是否选错了文件；"
            "确需上传的，请拆分后分批上传。",
            code="too_large",
            details=[{"field": "file", "message": f"不能超过 {size_text(limit)}"}],
        )


class LengthRequired(ApplicationError):
    status = 411

    def __init__(self) -> None:
        super().__init__(
            "请求内容缺少长度（Content-Length），无法接收。请不要以分块方式上传。",
            code="length_required",
        )


def size_text(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit // 1024} KB"


def upload_route(view_name: str, limit: int) -> None:
    """Declare that the route named ``view_name`` (``"api:report-import"``) takes a file of up
    to ``limit`` bytes; its view asks who may send it and calls ``receive``."""
    _ROUTE_LIMITS[view_name] = limit


def file_limit(request: HttpRequest, view: Callable[..., Any]) -> int | None:
    """The most the files of a request to this route may hold; None: the route takes none."""
    limit = getattr(view, "upload_limit", None)
    if limit is None and request.resolver_match is not None:
        limit = _ROUTE_LIMITS.get(request.resolver_match.view_name)
    return limit


def content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


class BodyLimitMiddleware:
    """Refuses a body above its route's limit before anything reads it (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = content_length(request)
        if length is None:
            return error_page(request, ApplicationError(_("请求的内容长度无效"), code="bad_length"))
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not request.META.get("CONTENT_LENGTH"):
            return error_page(request, LengthRequired())
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # the route is known here, and nothing has read the body yet (the CSRF check comes next)
        length = content_length(request) or 0
        limit = file_limit(request, view)
        if limit is None and length > NON_UPLOAD:
            return error_page(request, TooLarge(NON_UPLOAD))
        if limit is not None and length > limit + ENVELOPE:
            return error_page(request, TooLarge(limit))
        return None


class LimitedUpload(FileUploadHandler):
    """First of the upload handlers on an upload route: passes each chunk on and stops the
    parse once the files together pass ``limit`` bytes."""

    def __init__(self, request: HttpRequest, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit + ENVELOPE:
            raise TooLarge(self.limit)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise TooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def receive(request: HttpRequest, limit: int) -> MultiValueDict:
    """Parse the body of an upload whose sender may send it (ask first!) with ``limit`` bytes
    for its files: ``request.FILES``. ``TooLarge`` (413) past the limit, 400 for a body that is
    not a complete multipart form or holds a NUL character."""
    if (content_length(request) or 0) > limit + ENVELOPE:
        raise TooLarge(limit)
    request.upload_handlers.insert(0, LimitedUpload(request, limit))
    try:
        fields, files = request.POST, request.FILES
    except MultiPartParserError as exc:
        raise ApplicationError(
            _("上传的内容不完整或格式不正确，请重新选择文件上传"), code="bad_upload"
        ) from exc
    if nul_in(fields):
        raise nul_error()
    return files


def upload_page(*, limit: int, permit: Callable[..., Any]) -> Callable:
    """A page that takes a file of up to ``limit`` bytes: on a POST, ``permit(request, *args,
    **kwargs)`` is asked before the body is read (it raises to refuse), then the body is parsed
    with the limit, then the CSRF token is checked."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                permit(request, *args, **kwargs)
                receive(request, limit)
            return protected(request, *args, **kwargs)

        wrapper.upload_limit = limit  # type: ignore[attr-defined]
        return csrf_exempt(wrapper)

    return decorate


# --- NUL characters ---------------------------------------------------------------------------


def nul_error() -> ApplicationError:
    return ApplicationError(
        _("请求中含有不允许的空字符（NUL，\\x00），请检查输入内容后重试"), code="nul_character"
    )


def nul_in(data: Any) -> bool:
    """A NUL character anywhere in a query dict or in parsed JSON (keys and values)."""
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, MultiValueDict):
        return any(nul_in(k) or any(nul_in(v) for v in data.getlist(k)) for k in data)
    if isinstance(data, dict):
        return any(nul_in(k) or nul_in(v) for k, v in data.items())
    if isinstance(data, list | tuple):
        return any(nul_in(v) for v in data)
    return False


class NulMiddleware:
    """PostgreSQL cannot hold a NUL character in text: a path, query parameter or form field
    with one is answered 400 with a Chinese message instead of failing in the database. The
    form fields of a CSRF-exempt view are left alone here: an upload's are checked by
    ``receive`` once its sender is known, a JSON body's by the API's parser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        found = nul_in(request.path) or nul_in(request.GET)
        if not found and request.method == "POST" and not getattr(view, "csrf_exempt", False):
            found = nul_in(request.POST)
        return error_page(request, nul_error()) if found else None
