"""Writes to the funds ledger: receipts, real-name payment batches and their lines (added one by
one or imported), cancellation and duplicate-flag resolution (confirmation is
``confirmation``, visits ``visits``).

Each service is keyword-only, atomic and audited. Fillers and admins write the data of their own
unit and of the units below it; reviewers resolve duplicate flags; nobody changes a confirmed
batch. Duplicates are flagged in the same transaction as the lines that cause them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import SYSTEM, user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import search_token
from chunfeng.core.rules import can_resolve_flag, can_write_funds
from chunfeng.register.models import Household

from .duplicate_notes import flags_with_messages
from .duplicates import duplicates_flag
from .models import (
    AidType,
    BatchStatus,
    DuplicateFlag,
    FlagStatus,
    PaymentBatch,
    PaymentKind,
    PaymentLine,
    Recipient,
)
from .parsing import (
    choice,
    clip,
    invalid,
    parse_amount,
    parse_date,
)
from .recipients import recipient_named, require_in_period
from .selectors import funds_campaigns_visible_to


def flag_resolvable_by(user, flag: DuplicateFlag) -> bool:
    """The reviewers who see both sides of the flag decide it (contract (d))."""
    return can_resolve_flag(user, flag.line.unit, flag.line.campaign.owner, flag.other.unit)


def require_writer(actor, unit, what: str) -> None:
    if not can_write_funds(actor, unit):
        raise NotPermitted(
            _("您不能%(what)s（只有%(unit)s或其上级单位的填报员、管理员可以）")
            % {"what": what, "unit": unit.name}
        )
    if not unit.active:
        raise ApplicationError(
            _("%(unit)s已撤销，不能再登记") % {"unit": unit.name}, code="retired_unit"
        )


def require_campaign(actor, campaign) -> None:
    if actor is SYSTEM:
        return
    if not funds_campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotPermitted(_("活动“%(campaign)s”不在您的范围内") % {"campaign": campaign.name})


def require_draft(batch: PaymentBatch) -> None:
    if batch.status != BatchStatus.DRAFT:
        raise ApplicationError(
            _("批次“%(batch)s”已确认发放并锁定，不能再修改") % {"batch": batch.name},
            code="batch_locked",
        )


# ---- batches and lines ----------------------------------------------------------------------


@transaction.atomic
def batch_create(*, unit, campaign, name: str, actor) -> PaymentBatch:
    """发放批次: one real-name list of ``unit`` in ``campaign``."""
    require_writer(actor, unit, _("为%(unit)s建立发放批次") % {"unit": unit.name})
    require_campaign(actor, campaign)
    name = clip(name, 100)
    if not name:
        invalid("name", "请填写批次名称，例如“春节慰问第一批”")
    batch = PaymentBatch.objects.create(
        unit=unit, campaign=campaign, name=name, created_by=user_or_none(actor)
    )
    audit_record(
        actor=actor,
        action="batch.create",
        target=batch,
        unit=unit.code,
        campaign=campaign.pk,
        name=name,
    )
    return batch


def lock_households(households) -> None:
    """Payments of one family are serialised, across unions: the households of the new lines
    and every household that may be the same family (the same name and birth date, or the same
    phone) are locked, in the order of their keys, so that a concurrent payment of any of them
    waits for this transaction and then sees its line — both exact and suspected duplicates are
    flagged whichever commits first (SQLite runs one writing transaction at a time anyway)."""
    households = [h for h in households if h is not None]  # the other kinds name no file
    keys = {h.pk for h in households}
    pairs = {(h.name, h.birth_date) for h in households}
    phones = {h.phone for h in households if h.phone}
    for chunk in _chunks(sorted(pairs)):
        same = Household.objects.filter(
            name__in={n for n, _ in chunk}, birth_date__in={b for _, b in chunk}
        )
        keys.update(same.values_list("pk", flat=True))
    for chunk in _chunks(sorted(phones)):
        keys.update(Household.objects.filter(phone__in=chunk).values_list("pk", flat=True))
    for chunk in _chunks(sorted(keys)):
        list(
            Household.objects.select_for_update()
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _chunks(values: list, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def approval_withdraw(batch: PaymentBatch, actor) -> None:
    """A change of an approved batch's list withdraws the approval: the bank file is released
    only for the list a reviewer saw (``approval.batch_approve``)."""
    if batch.signed_sheet:  # the sheet signed for another list: a new one is needed
        batch.signed_sheet, batch.signed_sheet_at = "", None
        batch.save(update_fields=["signed_sheet", "signed_sheet_at"])
    if batch.approved_at is None:
        return
    batch.approved_at, batch.approved_by = None, None
    batch.save(update_fields=["approved_at", "approved_by"])
    audit_record(actor=actor, action="batch.unapprove", target=batch, reason="发放名单已变更")


@dataclass
class LineData:
    household: Household | None
    amount: Decimal
    kind: str
    goods: str
    aid_type: str
    paid_on: dt.date
    recipient: str = Recipient.HOUSEHOLD
    id_number: str = ""  # of a recipient not on file (a person's ID, an enterprise's code)
    name: str = ""


def _clean_line(
    actor,
    *,
    campaign,
    id_number,
    amount,
    kind,
    goods,
    aid_type,
    paid_on,
    recipient=Recipient.HOUSEHOLD,
    name="",
    household=None,
) -> LineData:
    """Raises ApplicationError with the field of the first problem."""
    named = recipient_named(
        actor, recipient=recipient, number=id_number, name=name, household=household
    )
    checks = (
        ("amount", lambda: parse_amount(amount)),
        ("kind", lambda: choice(kind, PaymentKind, "发放方式", default=PaymentKind.CASH)),
        ("aid_type", lambda: choice(aid_type, AidType, "救助类别")),
        ("paid_on", lambda: parse_date(paid_on, label="发放日期")),
    )
    values: dict = {}
    for field_name, check in checks:
        try:
            values[field_name] = check()
        except ValueError as exc:
            invalid(field_name, str(exc))
    require_in_period(campaign, values["paid_on"], "paid_on")
    goods = clip(goods, 100)
    if values["kind"] == PaymentKind.GOODS and not goods:
        invalid("goods", "实物发放请填写实物名称（金额填实物折合的价值）")
    if values["kind"] == PaymentKind.CASH:
        goods = ""
    return LineData(
        household=named.household,
        amount=values["amount"],
        kind=values["kind"],
        goods=goods,
        aid_type=values["aid_type"],
        paid_on=values["paid_on"],
        recipient=named.recipient,
        id_number=named.id_number,
        name=named.name,
    )


def new_line(batch: PaymentBatch, data: LineData) -> PaymentLine:
    h = data.household
    number = h.id_number if h is not None else data.id_number
    return PaymentLine(
        batch=batch,
        household=h,
        recipient=data.recipient,
        unit=batch.unit,
        campaign=batch.campaign,
        id_number=number,
        # an enterprise's code is public and never searched by token
        id_token="" if data.recipient == Recipient.ENTERPRISE else search_token("id", number),
        name=h.name if h is not None else data.name,
        amount=data.amount,
        kind=data.kind,
        goods=data.goods,
        aid_type=data.aid_type,
        paid_on=data.paid_on,
    )


@transaction.atomic
def line_add(
    *,
    batch: PaymentBatch,
    id_number,
    amount,
    aid_type,
    paid_on,
    actor,
    kind: str = PaymentKind.CASH,
    goods: str = "",
    recipient: str = Recipient.HOUSEHOLD,
    name: str = "",
) -> PaymentLine:
    """One recipient (``recipients.recipient_named``: a household on file, active, in the
    actor's subtree; a person by ID and name; an enterprise by its code), paid within the
    campaign's activity period. Duplicates are flagged at once; ``line.new_flags`` and
    ``line.messages`` say so."""
    require_writer(actor, batch.unit, _("修改%(unit)s的发放批次") % {"unit": batch.unit.name})
    # the batch row only (not its campaign's, which would queue every payment of the campaign):
    # payments of one family are serialised by lock_households
    batch = (
        PaymentBatch.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign")
        .get(pk=batch.pk)
    )
    require_draft(batch)
    data = _clean_line(
        actor,
        campaign=batch.campaign,
        recipient=recipient,
        name=name,
        id_number=id_number,
        amount=amount,
        kind=kind,
        goods=goods,
        aid_type=aid_type,
        paid_on=paid_on,
    )
    lock_households([data.household])
    approval_withdraw(batch, actor)
    line = new_line(batch, data)
    line.save()
    line.new_flags = duplicates_flag([line])
    line.messages = flags_with_messages(line.new_flags, actor)
    audit_record(
        actor=actor,
        action="line.add",
        target=line,
        batch=batch.pk,
        recipient=line.recipient,
        id=line.shown_number,
        amount=str(line.amount),
        kind=line.kind,
        flags=[f.kind for f in line.new_flags],
    )
    return line


def _close_flags_of(line: PaymentLine, actor, reason: str) -> None:
    """A cancelled line pays nobody: its open flags (either side of the pair) are closed."""
    now = timezone.now()
    text = f"发放已撤销：{reason}"[:200]
    DuplicateFlag.objects.filter(line=line, status=FlagStatus.OPEN).update(
        status=FlagStatus.CANCELLED, reason=text, resolved_by=user_or_none(actor), resolved_at=now
    )
    DuplicateFlag.objects.filter(other=line, status=FlagStatus.OPEN).update(
        status=FlagStatus.CANCELLED,
        reason=f"对方{text}"[:200],
        resolved_by=user_or_none(actor),
        resolved_at=now,
    )


def _cancel(line: PaymentLine, actor, reason: str) -> PaymentLine:
    batch = PaymentBatch.objects.select_for_update().get(pk=line.batch_id)
    require_draft(batch)
    line = PaymentLine.objects.select_for_update().get(pk=line.pk)
    if line.cancelled:
        raise ApplicationError(_("这条发放记录已经撤销"), code="already_cancelled")
    line.cancelled = True
    line.save(update_fields=["cancelled"])
    _close_flags_of(line, actor, reason)
    approval_withdraw(batch, actor)
    return line


@transaction.atomic
def line_cancel(*, line: PaymentLine, actor, reason: str) -> PaymentLine:
    """Take a line out of a draft batch (entered by mistake, not handed out)."""
    require_writer(actor, line.unit, _("修改%(unit)s的发放批次") % {"unit": line.unit.name})
    reason = clip(reason, 150)
    if not reason:
        invalid("reason", "请填写撤销原因")
    line = _cancel(line, actor, reason)
    audit_record(actor=actor, action="line.cancel", target=line, reason=reason)
    return line


# ---- duplicate flags ------------------------------------------------------------------------


@transaction.atomic
def flag_resolve(*, flag: DuplicateFlag, outcome: str, actor, reason: str = "") -> DuplicateFlag:
    """A reviewer's decision on a flag: the two are different families (distinct), it is a
    genuine second payment (a reason is required), or the flagged line is cancelled."""
    if not flag_resolvable_by(actor, flag):
        raise NotPermitted(_("只有上级单位（或活动发起单位）的审核员可以处理重复发放提示"))
    flag = DuplicateFlag.objects.select_for_update().select_related("line").get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ApplicationError(_("这条提示已经处理过了"), code="already_resolved")
    reason = clip(reason, 200)
    if outcome == FlagStatus.GENUINE and not reason:
        invalid("reason", "确属第二次发放时，请填写理由（例如：大病另行医疗救助）")
    if outcome == FlagStatus.CANCELLED:
        _cancel(flag.line, actor, reason or "审核认定重复发放")
        flag.refresh_from_db()
    elif outcome not in (FlagStatus.DISTINCT, FlagStatus.GENUINE):
        invalid("outcome", "请选择处理结果")
    flag.status, flag.reason = outcome, reason
    flag.resolved_by, flag.resolved_at = user_or_none(actor), timezone.now()
    flag.save(update_fields=["status", "reason", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor,
        action="flag.resolve",
        target=flag,
        outcome=outcome,
        reason=reason,
        line=flag.line_id,
        other=flag.other_id,
    )
    return flag
