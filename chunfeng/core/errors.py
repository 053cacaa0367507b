"""One application error type with a stable code; views and the API turn it into answers."""

from __future__ import annotations

from django.utils.translation import gettext


class ApplicationError(Exception):
    """A domain failure the user can act on. ``message`` names what is wrong, in the active language
    (Chinese unless the user chose English)."""

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", details: list | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "details": self.details}


class NotPermitted(ApplicationError):
    status = 403

    def __init__(self, message: str = "", **kwargs):
        message = message or gettext("您没有执行此操作的权限。")
        super().__init__(message, code=kwargs.pop("code", "forbidden"), **kwargs)
