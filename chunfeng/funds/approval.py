"""A reviewer's approval of a payment batch before it is paid by bank: the bank payroll file
(``printing.bank_csv``) is released only from an approved batch, so that no list of card
numbers reaches the bank that a second person has not seen. Reviewers of a unit above the
paying unit approve (``rules.can_approve_batch``); a change of the list afterwards withdraws
the approval (``services.approval_withdraw``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_approve_batch

from .models import DuplicateFlag, FlagStatus, PaymentBatch
from .services import require_draft


@transaction.atomic
def batch_approve(*, batch: PaymentBatch, actor) -> PaymentBatch:
    if not can_approve_batch(actor, batch.unit):
        raise NotPermitted(
            _("只有%(unit)s上级单位的审核员可以审批这个发放批次") % {"unit": batch.unit.name}
        )
    batch = PaymentBatch.objects.select_for_update().select_related("unit").get(pk=batch.pk)
    require_draft(batch)
    if batch.approved_at is not None:
        raise ApplicationError(
            _("批次“%(batch)s”已经审批过了") % {"batch": batch.name}, code="bad_status"
        )
    live = batch.lines.filter(cancelled=False)
    figures = live.aggregate(total=Sum("amount"))
    count = live.count()
    if not count:
        raise ApplicationError(_("批次中没有发放记录，不能审批"), code="batch_empty")
    if DuplicateFlag.objects.filter(line__batch=batch, status=FlagStatus.OPEN).exists():
        raise ApplicationError(
            _("批次中还有重复发放提示尚未处理，请先处理提示再审批"), code="open_flags"
        )
    batch.approved_at, batch.approved_by = timezone.now(), user_or_none(actor)
    batch.save(update_fields=["approved_at", "approved_by"])
    audit_record(
        actor=actor,
        action="batch.approve",
        target=batch,
        lines=count,
        total=str(figures["total"]),
    )
    return batch
