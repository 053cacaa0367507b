"""One place that turns failures into JSON answers: ``{"code", "message", "details"}``.

Application errors keep their own status (400, 403 for ``NotPermitted``, 409 for ``Stale``: a
write based on an older version, contract (c)), except those whose code names a conflict with
the object's current state (``bad_status``, ``batch_locked``, ``open_flags``: 409); a missing
or out-of-reach object is 404; a request body of the wrong shape is 422. Messages are Chinese, or English when the client asks for it (``Accept-Language: en``).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from chunfeng.core.errors import ApplicationError


class FieldProblem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    details: list[FieldProblem] = []


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """``response={200: X, **error_responses(403, 404)}``: documents the error answers."""
    return {status: ErrorOut for status in statuses}


# Application error codes answered with another status than the error's own.
_STATUS_BY_CODE = {
    "bad_status": 409,  # e.g. approving a report that is not submitted
    "batch_locked": 409,  # a confirmed payment batch
    "open_flags": 409,  # confirming a batch whose duplicate flags are not yet resolved
    "invalid_request": 422,  # a body without a field it needs (an upload without its file)
}

_HTTP_ERRORS = {
    400: ("bad_request", gettext_lazy("请求内容无法解析：应为有效的 JSON")),
    401: (
        "unauthorized",
        gettext_lazy("缺少或无效的访问令牌：请在请求头中提供 Authorization: Bearer <令牌>"),
    ),
    403: ("forbidden", gettext_lazy("您没有执行此操作的权限。")),
    429: ("throttled", gettext_lazy("请求过于频繁，请稍后再试")),
}

# What an error answer that no endpoint made says (``middleware``): a path no route matches, a
# method the path does not take, a failure.
_STATUS_ERRORS = {
    400: ("bad_request", gettext_lazy("请求有误，无法处理")),
    404: ("not_found", gettext_lazy("没有这个接口，或请求的对象不存在：请查看 /api/v1/docs")),
    405: ("method_not_allowed", gettext_lazy("这个接口不支持该请求方法（见响应头 Allow）")),
    413: ("too_large", gettext_lazy("请求内容过大，未被接收")),
    500: ("server_error", gettext_lazy("服务器内部错误，请稍后再试；若一再出现，请联系系统管理员")),
}


def status_message(status: int) -> tuple[str, str]:
    """``(code, message)`` of an error answer by its status alone."""
    if status in _STATUS_ERRORS:
        code, message = _STATUS_ERRORS[status]
        return code, str(message)
    if status in _HTTP_ERRORS:
        code, message = _HTTP_ERRORS[status]
        return code, str(message)
    return f"http_{status}", _("请求未能完成（HTTP %(status)s）") % {"status": status}


# Chinese wording for the pydantic error types a malformed body most often produces.
_TYPE_MESSAGES = {
    "missing": gettext_lazy("缺少此项"),
    "extra_forbidden": gettext_lazy("不支持此项"),
    "dict_type": gettext_lazy("应为 JSON 对象"),
    "model_attributes_type": gettext_lazy("应为 JSON 对象"),
    "model_type": gettext_lazy("应为 JSON 对象"),
    "string_type": gettext_lazy("应为文本"),
    "int_type": gettext_lazy("应为整数"),
    "int_parsing": gettext_lazy("应为整数"),
    "int_from_float": gettext_lazy("应为整数"),
    "bool_type": gettext_lazy("应为 true 或 false"),
    "list_type": gettext_lazy("应为数组"),
    "date_from_datetime_parsing": gettext_lazy("应为日期（YYYY-MM-DD）"),
}


_COMMON = {
    400: "请求有误：参数或内容中有空字符（NUL），或参数取值不可用",
    401: "缺少或无效的访问令牌",
    413: "请求内容超过此接口的上限",
    422: "参数或请求内容的格式不正确",
}


# gunicorn's own answer (an HTML page) to a request line over its limit (cli serve: GUNICORN)
_URI_TOO_LONG = {
    "description": "请求行（含查询参数）超过 4 KB，服务器在处理前拒绝",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def document_common_errors(schema: dict) -> dict:
    """Add to each operation of the OpenAPI ``schema`` the errors any endpoint may answer, so
    that every status is documented: 401 where a token is needed, 400 (a NUL character, a
    parameter that cannot be used), 422 where there is a parameter or a body to get wrong, 413
    where there is a body; and 414, gunicorn's, where query parameters can make a URL too long."""
    answer = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    }
    for path in schema["paths"].values():
        for operation in path.values():
            statuses = [400]
            if operation.get("security"):
                statuses.append(401)
            if operation.get("parameters") or operation.get("requestBody"):
                statuses.append(422)
            if operation.get("requestBody"):
                statuses.append(413)
            responses = operation.setdefault("responses", {})
            for status in statuses:
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": _COMMON[status], **answer}
            if any(p.get("in") == "query" for p in operation.get("parameters", ())):
                responses.setdefault(414, _URI_TOO_LONG)
    return schema


def install_error_handlers(api: NinjaAPI) -> None:
    def answer(request, status: int, code: str, message: str, details=()) -> HttpResponse:
        data = {"code": code, "message": message, "details": list(details)}
        return api.create_response(request, data, status=status)

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        status = _STATUS_BY_CODE.get(exc.code, exc.status)
        return answer(request, status, exc.code, exc.message, exc.details)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, "not_found", str(exc) or _("未找到请求的对象"))

    @api.exception_handler(ValidationError)
    def bad_body(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [_field_problem(error) for error in exc.errors]
        listed = "；".join(f"{d['field']}：{d['message']}" for d in details)
        message = _("请求内容格式不正确：%(problems)s") % {"problems": listed}
        return answer(request, 422, "invalid_request", message, details)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return answer(request, 413, "too_large", _("请求内容过大，未被接收"))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # too many fields or files, a malformed header: nothing an endpoint could use
        return answer(request, 400, "bad_request", _("请求有误，无法处理"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ApplicationError):  # ninja wraps the parser's refusals
            return application_error(request, exc.__cause__)
        code, message = _HTTP_ERRORS.get(exc.status_code, (f"http_{exc.status_code}", str(exc)))
        response = answer(request, exc.status_code, code, str(message))
        if isinstance(exc, AuthenticationError):
            response["WWW-Authenticate"] = "Bearer"
        return response


def _field_problem(error: dict) -> dict:
    """``{"loc": ["body", "payload", "values"], ...}`` → ``{"field": "values", ...}``."""
    loc = [str(part) for part in error.get("loc", ())]
    if loc[:1] == ["body"]:
        loc = loc[2:]  # drop "body" and the parameter's name
    elif loc[:1] in (["path"], ["query"]):
        loc = loc[1:]
    known = _TYPE_MESSAGES.get(error.get("type", ""))
    message = (
        str(known) if known else _("格式不正确（%(problem)s）") % {"problem": error.get("msg", "")}
    )
    return {"field": ".".join(loc) or "body", "message": message}
