"""Under the API's path every error is JSON, also those that never reach an endpoint: Django's
404 for a path no route matches, ninja's 405 for a method the path does not take, the 413 of a
body above its limit, the 400 of a NUL character, and the 500 of a failure. The endpoints'
own errors are JSON already (``errors.py``); this turns the rest into the same shape."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from .errors import status_message


class JsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.prefix: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not request.path.startswith(self._prefix()):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return as_json(response)

    def _prefix(self) -> str:
        if self.prefix is None:
            self.prefix = reverse("api:api-root")
        return self.prefix


def as_json(response: HttpResponse) -> HttpResponse:
    """The same answer as ``{"code", "message", "details"}``: the page's own error when it
    carries one (``core.web.error_page``), else the status's wording, in the language the answer
    was made in (its Content-Language: this middleware runs outside the locale middleware)."""
    error = getattr(response, "error", None)
    if error is not None:
        body = error.as_dict()
    else:
        with translation.override(response.get("Content-Language") or None):
            code, message = status_message(response.status_code)
        body = {"code": code, "message": message, "details": []}
    answer = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=response.status_code,
        content_type="application/json; charset=utf-8",
    )
    for header in ("Allow", "WWW-Authenticate", "Content-Language"):
        if header in response:
            answer[header] = response[header]
    return answer
