"""JSON bodies with exact decimals: ``12.3456`` arrives as ``Decimal("12.3456")``, not a float.
A NUL character in any text of the body is refused (400) before it could reach PostgreSQL,
which cannot hold one."""

from __future__ import annotations

import json
from decimal import Decimal

from django.http import HttpRequest
from ninja.parser import Parser

from chunfeng.core.uploads import nul_error, nul_in


class DecimalJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        if not request.body.strip():  # no body: an optional payload is absent, a required one
            return {}  # is refused by its schema (422, naming the fields)
        data = json.loads(request.body, parse_float=Decimal)
        if nul_in(data):
            raise nul_error()
        return data
