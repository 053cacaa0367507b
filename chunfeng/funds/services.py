"""Writes to the funds ledger: receipts, real-name payment batches and their lines (added one by
one or imported), confirmation, cancellation, duplicate-flag resolution and visits.

Each service is keyword-only, atomic and audited. Fillers and admins write the data of their own
unit and of the units below it; reviewers resolve duplicate flags; nobody changes a confirmed
batch. Duplicates are flagged in the same transaction as the lines that cause them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chunfeng.core.actors import SYSTEM, user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import mask_id
from chunfeng.core.rules import can_resolve_flag, can_write_funds
from chunfeng.register.models import Household, HouseholdStatus, Person

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
)
from .parsing import (
    choice,
    clip,
    invalid,
    parse_amount,
    parse_date,
)
from .selectors import funds_campaigns_visible_to

CONFIRM_BASES = {"signed": "签领表已签字", "bank": "银行代发结果已返回"}


def flag_resolvable_by(user, flag: DuplicateFlag) -> bool:
    """The reviewers who see both sides of the flag decide it (contract (d))."""
    return can_resolve_flag(user, flag.line.unit, flag.line.campaign.owner, flag.other.unit)


def require_writer(actor, unit, what: str) -> None:
    if not can_write_funds(actor, unit):
        raise NotPermitted(f"您不能{what}（只有{unit.name}或其上级单位的填报员、管理员可以）")
    if not unit.active:
        raise ApplicationError(f"{unit.name}已撤销，不能再登记", code="retired_unit")


def require_campaign(actor, campaign) -> None:
    if actor is SYSTEM:
        return
    if not funds_campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotPermitted(f"活动“{campaign.name}”不在您的范围内")


def require_draft(batch: PaymentBatch) -> None:
    if batch.status != BatchStatus.DRAFT:
        raise ApplicationError(
            f"批次“{batch.name}”已确认发放并锁定，不能再修改", code="batch_locked"
        )


# ---- batches and lines ----------------------------------------------------------------------


@transaction.atomic
def batch_create(*, unit, campaign, name: str, actor) -> PaymentBatch:
    """发放批次: one real-name list of ``unit`` in ``campaign``."""
    require_writer(actor, unit, f"为{unit.name}建立发放批次")
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


def household_on_file(actor, number: str) -> Household:
    """The active file of ``number`` within the actor's subtree, or a message saying why not."""
    household = (
        Household.objects.filter(
            id_number=number, status=HouseholdStatus.ACTIVE, unit__path__startswith=actor.unit.path
        )
        .select_related("unit")
        .first()
    )
    if household is not None:
        return household
    if Household.objects.filter(id_number=number, unit__path__startswith=actor.unit.path).exists():
        raise ValueError(f"身份证号码 {mask_id(number)} 的档案已脱困，不在档，不能发放")
    member = Person.objects.filter(id_number=number, active=True, is_worker=False).first()
    if member is not None and member.household.unit.is_within(actor.unit):
        raise ValueError(
            f"身份证号码 {mask_id(number)} 是{member.household.name}家的家庭成员，"
            "请填写户主（困难职工本人）的身份证号码"
        )
    raise ValueError(
        f"身份证号码 {mask_id(number)} 未在您的管辖范围内建立困难职工档案，"
        "请先建档（一户一档）再发放"
    )


def lock_households(households) -> None:
    """Payments of one family are serialised, across unions: the households of the new lines
    and every household that may be the same family (the same name and birth date, or the same
    phone) are locked, in the order of their keys, so that a concurrent payment of any of them
    waits for this transaction and then sees its line — both exact and suspected duplicates are
    flagged whichever commits first (SQLite runs one writing transaction at a time anyway)."""
    households = list(households)
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
    if batch.approved_at is None:
        return
    batch.approved_at, batch.approved_by = None, None
    batch.save(update_fields=["approved_at", "approved_by"])
    audit_record(actor=actor, action="batch.unapprove", target=batch, reason="发放名单已变更")


@dataclass
class LineData:
    household: Household
    amount: Decimal
    kind: str
    goods: str
    aid_type: str
    paid_on: dt.date


def _clean_line(
    actor, *, id_number, amount, kind, goods, aid_type, paid_on, household=None
) -> LineData:
    """Raises ApplicationError with the field of the first problem."""
    try:
        number = parse_id(id_number).number
    except InvalidIdNumber as exc:
        invalid("id_number", str(exc))
    try:
        household = household or household_on_file(actor, number)
    except ValueError as exc:
        invalid("id_number", str(exc))
    checks = (
        ("amount", lambda: parse_amount(amount)),
        ("kind", lambda: choice(kind, PaymentKind, "发放方式", default=PaymentKind.CASH)),
        ("aid_type", lambda: choice(aid_type, AidType, "救助类别")),
        ("paid_on", lambda: parse_date(paid_on, label="发放日期")),
    )
    values: dict = {}
    for name, check in checks:
        try:
            values[name] = check()
        except ValueError as exc:
            invalid(name, str(exc))
    goods = clip(goods, 100)
    if values["kind"] == PaymentKind.GOODS and not goods:
        invalid("goods", "实物发放请填写实物名称（金额填实物折合的价值）")
    if values["kind"] == PaymentKind.CASH:
        goods = ""
    return LineData(
        household=household,
        amount=values["amount"],
        kind=values["kind"],
        goods=goods,
        aid_type=values["aid_type"],
        paid_on=values["paid_on"],
    )


def new_line(batch: PaymentBatch, data: LineData) -> PaymentLine:
    h = data.household
    return PaymentLine(
        batch=batch,
        household=h,
        unit=batch.unit,
        campaign=batch.campaign,
        id_number=h.id_number,
        name=h.name,
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
) -> PaymentLine:
    """One recipient by ID number (the household must be on file, active, in the actor's
    subtree). Duplicates are flagged at once; ``line.new_flags`` and ``line.messages`` say so."""
    require_writer(actor, batch.unit, f"修改{batch.unit.name}的发放批次")
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
        id=mask_id(line.id_number),
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
        raise ApplicationError("这条发放记录已经撤销", code="already_cancelled")
    line.cancelled = True
    line.save(update_fields=["cancelled"])
    _close_flags_of(line, actor, reason)
    approval_withdraw(batch, actor)
    return line


@transaction.atomic
def line_cancel(*, line: PaymentLine, actor, reason: str) -> PaymentLine:
    """Take a line out of a draft batch (entered by mistake, not handed out)."""
    require_writer(actor, line.unit, f"修改{line.unit.name}的发放批次")
    reason = clip(reason, 150)
    if not reason:
        invalid("reason", "请填写撤销原因")
    line = _cancel(line, actor, reason)
    audit_record(actor=actor, action="line.cancel", target=line, reason=reason)
    return line


@transaction.atomic
def batch_confirm(*, batch: PaymentBatch, basis: str, actor, note: str = "") -> PaymentBatch:
    """确认发放: after the recipients signed the 签领表, or the bank's result came back. The
    batch is locked from then on. Not while one of its lines has an open duplicate flag."""
    require_writer(actor, batch.unit, f"确认{batch.unit.name}的发放批次")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    require_draft(batch)
    if basis not in CONFIRM_BASES:
        invalid("basis", "请选择确认依据：签领表已签字，或银行代发结果已返回")
    live = batch.lines.filter(cancelled=False)
    if not live.exists():
        raise ApplicationError("批次中没有发放记录，不能确认", code="batch_empty")
    open_flags = DuplicateFlag.objects.filter(line__batch=batch, status=FlagStatus.OPEN).count()
    if open_flags:
        raise ApplicationError(
            f"批次中还有 {open_flags} 条重复发放提示尚未处理，请审核员处理后再确认发放",
            code="open_flags",
        )
    note = clip(note, 150)
    batch.status = BatchStatus.CONFIRMED
    batch.confirmed_at, batch.confirmed_by = timezone.now(), user_or_none(actor)
    batch.confirm_note = f"{CONFIRM_BASES[basis]}：{note}" if note else CONFIRM_BASES[basis]
    batch.save(update_fields=["status", "confirmed_at", "confirmed_by", "confirm_note"])
    audit_record(
        actor=actor,
        action="batch.confirm",
        target=batch,
        basis=basis,
        note=note,
        lines=live.count(),
    )
    return batch


# ---- duplicate flags ------------------------------------------------------------------------


@transaction.atomic
def flag_resolve(*, flag: DuplicateFlag, outcome: str, actor, reason: str = "") -> DuplicateFlag:
    """A reviewer's decision on a flag: the two are different families (distinct), it is a
    genuine second payment (a reason is required), or the flagged line is cancelled."""
    if not flag_resolvable_by(actor, flag):
        raise NotPermitted("只有上级单位（或活动发起单位）的审核员可以处理重复发放提示")
    flag = DuplicateFlag.objects.select_for_update().select_related("line").get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ApplicationError("这条提示已经处理过了", code="already_resolved")
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
