"""筹集: money raised for a campaign by a unit (附件1 item 05, by source)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError
from chunfeng.orgunits.models import OrgUnit

from .models import Receipt, Source
from .parsing import MAX_RECEIPT_AMOUNT, checked, choice, clip, parse_amount, parse_date
from .services import require_campaign, require_writer


@transaction.atomic
def receipt_create(
    *, unit, campaign, source: str, amount, received_on, actor, note: str = "", from_unit=None
) -> Receipt:
    """筹集: money raised by ``unit`` for ``campaign`` (附件1 item 05, by source); or, with
    source 上级下拨, money a union above (``from_unit``: a unit or its code) passed down to it,
    which the giver raised and counts once."""
    require_writer(actor, unit, _("为%(unit)s登记筹集资金") % {"unit": unit.name})
    require_campaign(actor, campaign)
    source = checked("source", choice, source, Source, "来源")
    giver = _giver(unit, source, from_unit)
    value = checked("amount", parse_amount, amount, maximum=MAX_RECEIPT_AMOUNT)
    received_on = checked("received_on", parse_date, received_on, label="到账日期")
    receipt = Receipt.objects.create(
        unit=unit,
        campaign=campaign,
        source=source,
        amount=value,
        from_unit=giver,
        received_on=received_on,
        note=clip(note, 200),
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="receipt.create",
        target=receipt,
        unit=unit.code,
        campaign=campaign.pk,
        source=source,
        amount=str(value),
        from_unit=giver.code if giver else "",
    )
    return receipt


def _giver(unit, source: str, from_unit):
    """The union above that passed 上级下拨 money down; none for any other source."""
    code = getattr(from_unit, "code", from_unit) or ""
    if source != Source.ALLOCATION:
        if code:
            _refuse_giver("只有“上级下拨”的资金需要填写下拨单位")
        return None
    giver = OrgUnit.objects.filter(code=str(code).strip()).first() if code else None
    if giver is None:
        _refuse_giver("“上级下拨”的资金请填写下拨单位（上级工会）的代码")
    if giver.pk == unit.pk or not unit.path.startswith(giver.path):
        _refuse_giver(f"下拨单位{giver.name}不是{unit.name}的上级工会")
    return giver


def _refuse_giver(message: str):
    raise ApplicationError(
        message, code="bad_values", details=[{"field": "from_unit", "message": message}]
    )
