"""Bearer-token authentication for the whole API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from chunfeng.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token's user becomes ``request.auth``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token.strip())
        if user is not None:
            request.user = user
        return user
