"""After an admin reset a user's password, every page sends that user to change it first.
The API is not a page: it answers tokens, not the browser's session."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# the change page itself, leaving, and the language switch stay open
OPEN = ("password-change", "logout", "set_language")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._open(request.path):
            return self.get_response(request)
        if getattr(getattr(request, "user", None), "must_change_password", False):
            return redirect("password-change")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        prefixes = ("/" + settings.STATIC_URL.lstrip("/"), "/api/")
        return path.startswith(prefixes) or path in {reverse(name) for name in OPEN}
