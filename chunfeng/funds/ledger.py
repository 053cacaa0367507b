"""The funds ledger: money raised and paid per unit of a campaign, each unit's own and with its
subtree, and the warning that money is left close to the festival (不滞留、不截流). Three GROUP
BY queries rolled up along the tree. 上级下拨 is raised once, by the giver: the receiver's
balance gains it, the giver's loses it, no total of money raised counts it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign
from chunfeng.orgunits.models import OrgUnit

from .models import RAISED_SOURCES, PaymentLine, Receipt, Source
from .selectors import ancestor_codes

WARN_DAYS = 7  # a balance left this close to the festival (the campaign's end) is a warning
ZERO = Decimal("0.00")


@dataclass
class Figures:
    by_source: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(Source.values, ZERO)
    )
    paid: Decimal = ZERO
    passed_down: Decimal = ZERO  # 上级下拨 given to unions below

    @property
    def raised(self) -> Decimal:
        """Money raised (附件1 05A): 上级下拨 received is the giver's, counted there once."""
        return sum((self.by_source[s.value] for s in RAISED_SOURCES), ZERO)

    @property
    def received(self) -> Decimal:
        return self.by_source[Source.ALLOCATION]

    @property
    def balance(self) -> Decimal:
        """Raised + received from above − passed down − paid. Over a subtree a transfer
        inside it cancels out: nothing is counted twice."""
        return self.raised + self.received - self.passed_down - self.paid

    def add(self, other: Figures) -> None:
        for key, value in other.by_source.items():
            self.by_source[key] += value
        self.paid += other.paid
        self.passed_down += other.passed_down

    def sources(self) -> list[tuple[str, Decimal]]:
        """(label, amount) in the order of 附件1 item 05, then the transfers in and out."""
        return [(str(s.label), self.by_source[s.value]) for s in RAISED_SOURCES] + [
            (_("收到上级下拨"), self.received),
            (_("下拨下级"), self.passed_down),
        ]


@dataclass
class LedgerRow:
    unit: OrgUnit
    own: Figures  # the unit's own receipts and payments
    total: Figures  # the unit and everything below it
    warning: str = ""
    has_children: bool = False
    retained: bool = False  # the period is over and money is left (不滞留: ``retained``)


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
    Three GROUP BY queries; the roll-up walks each unit's path (units are few, rows are many)."""
    units = {u.pk: u for u in OrgUnit.objects.filter(path__startswith=root.path)}
    own = own_figures(campaign, root)
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


def own_figures(
    campaign: Campaign, root: OrgUnit, *, receiving_only: bool = False
) -> defaultdict[int, Figures]:
    """unit id → its own receipts and payments, for the units of ``root``'s subtree that have
    any (three GROUP BY queries; no unit is loaded). ``receiving_only``: the payments only of
    units that received money (those that can hold a balance), so that a province's question
    "who still holds money" does not add up the lines of every grassroots union."""
    own: defaultdict[int, Figures] = defaultdict(Figures)
    received = Receipt.objects.filter(campaign=campaign, unit__path__startswith=root.path)
    receipts = received.values("unit_id", "source").annotate(total=Sum("amount"))
    for row in receipts:
        own[row["unit_id"]].by_source[row["source"]] += row["total"] or ZERO
    given = (
        Receipt.objects.filter(
            campaign=campaign, source=Source.ALLOCATION, from_unit__path__startswith=root.path
        )
        .values("from_unit_id")
        .annotate(total=Sum("amount"))
    )
    for row in given:
        own[row["from_unit_id"]].passed_down += row["total"] or ZERO
    lines = PaymentLine.objects.filter(
        campaign=campaign, cancelled=False, unit__path__startswith=root.path
    )
    if receiving_only:
        lines = lines.filter(unit_id__in=received.values("unit_id"))
    paid = lines.values("unit_id").annotate(total=Sum("amount"))
    for row in paid:
        own[row["unit_id"]].paid += row["total"] or ZERO
    return own


def ledger_for(user, campaign: Campaign, unit: OrgUnit | None = None) -> Ledger:
    """The ledger of ``unit`` (default: the user's own) and of each unit directly below it,
    each figure including its subtree, with the close-to-festival warning."""
    unit = unit or user.unit
    if not unit.is_within(user.unit):
        raise Http404(_("该单位不在您的管辖范围内"))
    figures = ledger_figures(campaign, unit)
    today = timezone.localdate()

    def row(pk: int) -> LedgerRow:
        u, own, total = figures[pk]
        return LedgerRow(
            unit=u,
            own=own,
            total=total,
            warning=balance_warning(campaign, total.balance, today),
            retained=today > campaign.period_end and total.balance > 0,
        )

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
    return Ledger(
        campaign=campaign,
        root=row(unit.pk),
        children=children,
        days_left=(campaign.period_end - today).days,
    )
