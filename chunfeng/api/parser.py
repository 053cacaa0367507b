"""JSON bodies with exact decimals: ``12.3456`` arrives as ``Decimal("12.3456")``, not a float."""

from __future__ import annotations

import json
from decimal import Decimal

from django.http import HttpRequest
from ninja.parser import Parser


class DecimalJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        return json.loads(request.body, parse_float=Decimal)
