"""One error path for the pages.

Services raise ``ApplicationError`` (a failure the user can act on, in Chinese) or its subclass
``NotPermitted``. Views do not catch them one by one:

* ``ApplicationErrorMiddleware`` answers a ``NotPermitted`` with the 403 page and any other
  ``ApplicationError`` that leaves a view with the 400 page, both showing the message;
* a form page runs its service through ``attempt(form, call)``, which puts the error's details
  under the form's fields (``apply_errors``) and lets the view render the form again;
* an import page, which lists every problem of a file, runs it through ``caught(call)`` and
  shows the error it returns;
* a button that posts and comes back (submit, approve, cancel …) is decorated with
  ``@back_on_error(to)``: the message is flashed and the user returns to the page ``to`` names.

The API has its own single handler (``chunfeng.api.errors``) with the same messages as JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import ApplicationError, NotPermitted

T = TypeVar("T")


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, NotPermitted):
            # Django's own handler answers it with the 403 page, which shows the message
            raise PermissionDenied(exc.message) from exc
        if isinstance(exc, ApplicationError):
            return error_page(request, exc)
        return None


def error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """The 400 page, with the error's own status, showing its message. The response keeps the
    error, so that under the API's path it is answered as JSON (``api.middleware``)."""
    response = render(
        request, "400.html", {"exception": exc.message, "status": exc.status}, status=exc.status
    )
    response.error = exc  # type: ignore[attr-defined]
    return response


def field_problems(exc: ApplicationError) -> list[tuple[str | None, str]]:
    """``(field, message)`` for each detail of the error that names a field; the message
    alone (``None``) when none does."""
    found: list[tuple[str | None, str]] = [
        (str(d["field"]), str(d.get("message") or exc.message))
        for d in exc.details
        if isinstance(d, dict) and d.get("field")
    ]
    return found or [(None, exc.message)]


def apply_errors(form: Any, exc: ApplicationError, labels: dict[str, str] | None = None) -> None:
    """Put a service error onto a Django form: under the field it names when the form has that
    field, else at the top of the form (``“label：message”`` when ``labels`` names the field)."""
    for name, message in field_problems(exc):
        if name is not None and name in form.fields:
            form.add_error(name, message)
        elif name is not None and labels and name in labels:
            form.add_error(None, f"{labels[name]}：{message}")
        else:
            form.add_error(None, message)


def attempt(form: Any, call: Callable[[], T], labels: dict[str, str] | None = None) -> T | None:
    """Run a service for a bound, valid form: its result, or None with the error placed on the
    form. ``NotPermitted`` is not caught: it becomes the 403 page."""
    try:
        return call()
    except NotPermitted:
        raise
    except ApplicationError as exc:
        apply_errors(form, exc, labels)
        return None


def caught(call: Callable[[], T]) -> tuple[T | None, ApplicationError | None]:
    """``(result, None)``, or ``(None, error)`` when the service refused with an
    ``ApplicationError`` other than ``NotPermitted`` (which stays a 403)."""
    try:
        return call(), None
    except NotPermitted:
        raise
    except ApplicationError as exc:
        return None, exc


def back_on_error(to: Callable[..., str]) -> Callable:
    """For views that post an action and redirect: an ``ApplicationError`` is flashed and the
    user is sent to ``to(request, **view_kwargs)`` (a URL). ``NotPermitted`` stays a 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotPermitted:
                raise
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(to(request, *args, **kwargs))

        return wrapper

    return decorate
