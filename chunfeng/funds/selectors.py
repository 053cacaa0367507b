"""Scoped reads of the funds ledger: everything through the user (their unit's subtree), objects
outside it are a 404. The ledger figures are two GROUP BY queries rolled up along the tree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.selectors import campaigns_visible_to
from chunfeng.orgunits.models import OrgUnit

from .models import DuplicateFlag, FlagStatus, PaymentBatch, PaymentLine, Receipt, Source, Visit

WARN_DAYS = 7  # a balance left this close to the festival (the campaign's end) is a warning
ZERO = Decimal("0.00")


def _unit_ok(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.unit_id is not None


def ancestor_codes(unit: OrgUnit) -> list[str]:
    """The codes from the root down to ``unit`` itself."""
    return unit.path.strip("/").split("/")


def root_of(unit: OrgUnit) -> OrgUnit:
    """The topmost ancestor of ``unit`` (the federation the duplicate checks cover)."""
    code = ancestor_codes(unit)[0]
    return unit if unit.code == code else OrgUnit.objects.get(code=code)


# ---- campaigns ------------------------------------------------------------------------------


def funds_campaigns_visible_to(user) -> QuerySet[Campaign]:
    """The campaigns a unit spends money in: those it may see for reporting, and those of an
    ancestor in which a unit on its chain takes part (a grassroots union pays its families in
    the city's campaign although only its district reports to the city)."""
    if not _unit_ok(user):
        return Campaign.objects.none()
    codes = ancestor_codes(user.unit)
    above = Campaign.objects.filter(owner__code__in=codes, recipients__code__in=codes)
    return Campaign.objects.filter(
        Q(pk__in=campaigns_visible_to(user).values("pk")) | Q(pk__in=above.values("pk"))
    ).select_related("owner")


def funds_campaign_for(user, campaign_id) -> Campaign:
    try:
        return funds_campaigns_visible_to(user).get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404(f"没有编号为 {campaign_id} 的活动，或您无权查看") from None


def chosen_campaign(user, campaign_id=None) -> Campaign | None:
    """``?campaign=ID`` if given (404 when not visible), else the latest visible campaign."""
    if campaign_id:
        return funds_campaign_for(user, campaign_id)
    return funds_campaigns_visible_to(user).order_by("-period_start", "-id").first()


# ---- scoped querysets -----------------------------------------------------------------------


def receipts_visible_to(user) -> QuerySet[Receipt]:
    if not _unit_ok(user):
        return Receipt.objects.none()
    return Receipt.objects.filter(unit__path__startswith=user.unit.path).select_related(
        "unit", "campaign", "created_by"
    )


def batches_visible_to(user) -> QuerySet[PaymentBatch]:
    if not _unit_ok(user):
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.filter(unit__path__startswith=user.unit.path).select_related(
        "unit", "campaign", "created_by", "confirmed_by"
    )


def batch_for(user, pk) -> PaymentBatch:
    try:
        return batches_visible_to(user).get(pk=pk)
    except PaymentBatch.DoesNotExist:
        raise Http404("没有这个发放批次，或不在您的管辖范围内") from None


def line_for(user, pk) -> PaymentLine:
    try:
        return (
            PaymentLine.objects.filter(unit__path__startswith=user.unit.path)
            .select_related("batch", "unit", "campaign", "household")
            .get(pk=pk)
        )
    except (PaymentLine.DoesNotExist, AttributeError):
        raise Http404("没有这条发放记录，或不在您的管辖范围内") from None


def batch_lines(batch: PaymentBatch) -> QuerySet[PaymentLine]:
    return batch.lines.select_related("household").order_by("id")


def visits_visible_to(user) -> QuerySet[Visit]:
    if not _unit_ok(user):
        return Visit.objects.none()
    return Visit.objects.filter(unit__path__startswith=user.unit.path).select_related(
        "unit", "campaign", "household"
    )


def flags_visible_to(user) -> QuerySet[DuplicateFlag]:
    """Flags on lines of the user's subtree, or against one of its lines."""
    if not _unit_ok(user):
        return DuplicateFlag.objects.none()
    path = user.unit.path
    return DuplicateFlag.objects.filter(
        Q(line__unit__path__startswith=path) | Q(other__unit__path__startswith=path)
    ).select_related(
        "line__unit", "line__batch", "line__household", "line__campaign__owner",
        "other__unit", "other__batch", "other__household", "resolved_by",
    )  # fmt: skip


def open_flags_visible_to(user, campaign: Campaign | None = None) -> QuerySet[DuplicateFlag]:
    qs = flags_visible_to(user).filter(status=FlagStatus.OPEN)
    if campaign is not None:
        qs = qs.filter(line__campaign=campaign)
    return qs.order_by("line__unit__path", "line_id", "id")


def flag_for(user, pk) -> DuplicateFlag:
    try:
        return flags_visible_to(user).get(pk=pk)
    except DuplicateFlag.DoesNotExist:
        raise Http404("没有这条重复提示，或不在您的管辖范围内") from None


# ---- the ledger -----------------------------------------------------------------------------


@dataclass
class Figures:
    by_source: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(Source.values, ZERO)
    )
    paid: Decimal = ZERO

    @property
    def raised(self) -> Decimal:
        return sum(self.by_source.values(), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.raised - self.paid

    def add(self, other: Figures) -> None:
        for key, value in other.by_source.items():
            self.by_source[key] += value
        self.paid += other.paid

    def sources(self) -> list[tuple[str, Decimal]]:
        """(label, amount) in the order of 附件1 item 05."""
        return [(str(s.label), self.by_source[s.value]) for s in Source]


@dataclass
class LedgerRow:
    unit: OrgUnit
    own: Figures  # the unit's own receipts and payments
    total: Figures  # the unit and everything below it
    warning: str = ""
    has_children: bool = False


@dataclass
class Ledger:
    campaign: Campaign
    root: LedgerRow
    children: list[LedgerRow]
    days_left: int

    @property
    def warning(self) -> str:
        return self.root.warning


def balance_warning(campaign: Campaign, balance: Decimal, today: dt.date | None = None) -> str:
    """不滞留、不截流: money left when the festival (the campaign's end) is a week away or past."""
    today = today or timezone.localdate()
    days = (campaign.period_end - today).days
    if balance <= 0 or days > WARN_DAYS:
        return ""
    end = campaign.period_end.isoformat()
    if days < 0:
        when = f"活动已于 {end} 结束"
    elif days == 0:
        when = f"今天（{end}）是活动最后一天"
    else:
        when = f"距活动结束（{end}，春节前）还有 {days} 天"
    return (
        f"{when}，尚有结余 {balance:,.2f} 元未发放。"
        "按通知要求，帮扶资金不滞留、不截流，应在春节前全部使用完毕。"
    )


def ledger_figures(
    campaign: Campaign, root: OrgUnit
) -> dict[int, tuple[OrgUnit, Figures, Figures]]:
    """unit id → (unit, own figures, subtree figures) for every unit of ``root``'s subtree.
    Two GROUP BY queries; the roll-up walks each unit's path (units are few, rows are many)."""
    units = {u.pk: u for u in OrgUnit.objects.filter(path__startswith=root.path)}
    own: dict[int, Figures] = defaultdict(Figures)
    receipts = (
        Receipt.objects.filter(campaign=campaign, unit__path__startswith=root.path)
        .values("unit_id", "source")
        .annotate(total=Sum("amount"))
    )
    for row in receipts:
        own[row["unit_id"]].by_source[row["source"]] += row["total"] or ZERO
    paid = (
        PaymentLine.objects.filter(
            campaign=campaign, cancelled=False, unit__path__startswith=root.path
        )
        .values("unit_id")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        own[row["unit_id"]].paid += row["total"] or ZERO
    by_code = {u.code: u.pk for u in units.values()}
    totals: dict[int, Figures] = defaultdict(Figures)
    for unit_id, figures in own.items():
        unit = units.get(unit_id)
        if unit is None:
            continue
        for code in ancestor_codes(unit):
            if code in by_code:
                totals[by_code[code]].add(figures)
    return {pk: (u, own[pk], totals[pk]) for pk, u in units.items()}


def ledger_for(user, campaign: Campaign, unit: OrgUnit | None = None) -> Ledger:
    """The ledger of ``unit`` (default: the user's own) and of each unit directly below it,
    each figure including its subtree, with the close-to-festival warning."""
    unit = unit or user.unit
    if not unit.is_within(user.unit):
        raise Http404("该单位不在您的管辖范围内")
    figures = ledger_figures(campaign, unit)
    today = timezone.localdate()

    def row(pk: int) -> LedgerRow:
        u, own, total = figures[pk]
        return LedgerRow(unit=u, own=own, total=total,
                         warning=balance_warning(campaign, total.balance, today))  # fmt: skip

    child_ids = sorted(
        (pk for pk, (u, _o, _t) in figures.items() if u.parent_id == unit.pk),
        key=lambda pk: figures[pk][0].path,
    )
    parents = {u.parent_id for u, _o, _t in figures.values()}
    children = []
    for pk in child_ids:
        r = row(pk)
        r.has_children = pk in parents
        children.append(r)
    return Ledger(campaign=campaign, root=row(unit.pk), children=children,
                  days_left=(campaign.period_end - today).days)  # fmt: skip
