"""One application error type with a stable code; views and the API turn it into answers."""

from __future__ import annotations


class ApplicationError(Exception):
    """A domain failure the user can act on. ``message`` is Chinese and names what is wrong."""

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

    def __init__(self, message: str = "您没有执行此操作的权限。", **kwargs):
        super().__init__(message, code=kwargs.pop("code", "forbidden"), **kwargs)
