"""The workers' side (no login): submit a request as text, and look up one's own case by its
number and phone. Rate limited per address (a keyed hash of it is kept, never the address):
``CHUNFENG_PUBLIC_SUBMITS_PER_HOUR`` requests and ``CHUNFENG_PUBLIC_CHECKS_PER_HOUR`` look-ups.
Requests are taken by the hotline's union (``CHUNFENG_HOTLINE_UNIT``, else the union at the top)
for the system, and routed by region like a call."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.core.personal import search_token
from chunfeng.orgunits.models import OrgUnit, UnitKind

from .models import Case, PublicAttempt, RequestType, Source
from .services import case_create

WINDOW = dt.timedelta(hours=1)


class Throttled(ApplicationError):
    status = 429

    def __init__(self):
        super().__init__("操作过于频繁，请一小时后再试，或拨打 12351 热线。", code="throttled")


def address_key(address: str) -> str:
    key = hashlib.sha256(b"chunfeng-public:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()[:40]


def attempt_count(address: str, action: str, limit: int) -> None:
    """Count this use of ``action`` from ``address``; refuse past ``limit`` in the hour."""
    key, now = address_key(address), timezone.now()
    PublicAttempt.objects.filter(at__lt=now - WINDOW * 24).delete()  # keep the table small
    recent = PublicAttempt.objects.filter(address=key, action=action, at__gte=now - WINDOW)
    if recent.count() >= limit:
        raise Throttled()
    PublicAttempt.objects.create(address=key, action=action)


def hotline_unit() -> OrgUnit:
    code = getattr(settings, "CHUNFENG_HOTLINE_UNIT", "")
    found = OrgUnit.objects.filter(code=code) if code else OrgUnit.objects.filter(parent=None)
    unit = found.filter(active=True).order_by("path").first()
    if unit is None:
        raise ApplicationError(_("热线尚未开通，请拨打 12351。"), code="no_hotline")
    return unit


def public_regions() -> list[tuple[str, str]]:
    """The places a worker may choose: the county-level unions, by region code and name."""
    units = OrgUnit.objects.filter(kind=UnitKind.COUNTY, active=True).order_by("code")
    return [(u.code, u.name.removesuffix("总工会")) for u in units]


def public_request_submit(*, data: dict, address: str) -> Case:
    """A worker's online request: text only, a consultation or a request for help."""
    attempt_count(address, "submit", settings.CHUNFENG_PUBLIC_SUBMITS_PER_HOUR)
    allowed = {"caller_name", "caller_phone", "caller_is_migrant", "region", "category"}
    fields = {k: v for k, v in data.items() if k in allowed}
    fields |= {
        "description": str(data.get("description") or "").strip(),
        "request_type": RequestType.SERVICE,
        "source": Source.ONLINE,
    }
    with transaction.atomic():
        return case_create(intake_unit=hotline_unit(), data=fields, actor=SYSTEM)


def public_case_status(*, number: str, phone: str, address: str) -> Case | None:
    """The case with this number whose caller gave this phone; None otherwise (the same
    answer whether the number exists or not)."""
    attempt_count(address, "status", settings.CHUNFENG_PUBLIC_CHECKS_PER_HOUR)
    token = search_token("phone", phone or "")
    return (
        Case.objects.filter(number=(number or "").strip().upper(), phone_token=token)
        .select_related("unit")
        .first()
    )


def client_address(request) -> str:
    header = getattr(settings, "CHUNFENG_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
