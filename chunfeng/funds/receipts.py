"""筹集: money raised for a campaign by a unit (附件1 item 05, by source)."""

from __future__ import annotations

from django.db import transaction

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record

from .models import Receipt, Source
from .parsing import MAX_RECEIPT_AMOUNT, checked, choice, clip, parse_amount, parse_date
from .services import require_campaign, require_writer


@transaction.atomic
def receipt_create(
    *, unit, campaign, source: str, amount, received_on, actor, note: str = ""
) -> Receipt:
    """筹集: money raised by ``unit`` for ``campaign`` (附件1 item 05, by source)."""
    require_writer(actor, unit, f"为{unit.name}登记筹集资金")
    require_campaign(actor, campaign)
    source = checked("source", choice, source, Source, "来源")
    value = checked("amount", parse_amount, amount, maximum=MAX_RECEIPT_AMOUNT)
    received_on = checked("received_on", parse_date, received_on, label="到账日期")
    receipt = Receipt.objects.create(
        unit=unit,
        campaign=campaign,
        source=source,
        amount=value,
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
    )
    return receipt
