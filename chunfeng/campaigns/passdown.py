"""下发: a unit that received a campaign passes it on to units below it — all its children, the
grassroots unions of its subtree, or units it picks — with its own deadline (not later than the
one it was given), its own notice and its own 催报. The deadline that counts for a unit's filing
(overdue, 及时率) is the one of the pass-down that gave it the campaign, else the campaign's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, DateField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_pass_down
from chunfeng.orgunits.models import OrgUnit, UnitKind

from .models import Campaign, PassDown

TARGETS = ("children", "grassroots", "picked")
Passed = PassDown.units.through  # (passdown, orgunit): which pass-down gave a unit the campaign


# --- reads -------------------------------------------------------------------------------------


def deadline_of(campaign: Campaign, unit: OrgUnit) -> dt.date:
    """The deadline ``unit`` was given: its pass-down's, else the campaign's."""
    given = (
        Passed.objects.filter(passdown__campaign=campaign, orgunit=unit)
        .values_list("passdown__deadline", flat=True)
        .first()
    )
    return given or campaign.deadline


def deadlines_below(campaign: Campaign, root: OrgUnit) -> dict[int, dt.date]:
    """The deadlines given by pass-downs to the units of ``root``'s subtree, by unit id (one
    query; a unit not in it has the campaign's deadline)."""
    return dict(
        Passed.objects.filter(
            passdown__campaign=campaign, orgunit__path__startswith=root.path
        ).values_list("orgunit_id", "passdown__deadline")
    )


def deadlines_of(campaign: Campaign, units: list[OrgUnit]) -> dict[int, dt.date]:
    """The deadline of each of ``units``, by unit id (one query)."""
    given = dict(
        Passed.objects.filter(passdown__campaign=campaign, orgunit__in=units).values_list(
            "orgunit_id", "passdown__deadline"
        )
    )
    return {u.pk: given.get(u.pk, campaign.deadline) for u in units}


def deadlines_in(campaign: Campaign, root: OrgUnit) -> dict[int, dt.date]:
    """The deadlines given to units of ``root``'s subtree, by unit id (one query, by path
    rather than a list of units); a unit not in it has the campaign's."""
    return dict(
        Passed.objects.filter(
            passdown__campaign=campaign, orgunit__path__startswith=root.path
        ).values_list("orgunit_id", "passdown__deadline")
    )


def deadlines_given_to(unit: OrgUnit, campaign_ids) -> dict[int, dt.date]:
    """The deadlines ``unit`` was given by pass-downs, by campaign id (one query)."""
    return dict(
        Passed.objects.filter(
            passdown__campaign_id__in=list(campaign_ids), orgunit=unit
        ).values_list("passdown__campaign_id", "passdown__deadline")
    )


def deadline_expression(campaign: Campaign, unit_ref: str = "pk"):
    """The deadline of the unit ``unit_ref`` names, as an SQL expression for annotations."""
    given = Passed.objects.filter(passdown__campaign=campaign, orgunit_id=OuterRef(unit_ref))
    return Coalesce(
        Subquery(given.values("passdown__deadline")[:1]),
        Value(campaign.deadline),
        output_field=DateField(),
    )


@dataclass(frozen=True)
class TreeRow:
    unit: OrgUnit
    depth: int  # below the campaign's owner
    deadline: dt.date
    notice: str
    passed: int  # how many units it passed the campaign to (0 for the owner's row)
    given_by: str  # who gave this deadline

    @property
    def indent(self) -> range:
        return range(self.depth)


def deadline_tree(user, campaign: Campaign) -> list[TreeRow]:
    """The tree of deadlines the user may see: the campaign's own, the pass-downs of the user's
    subtree and those of the units above the user's own (the deadline and notice it was
    given), in tree order; a fixed number of queries whatever the number of units."""
    unit = user.unit
    above = unit.path.strip("/").split("/")
    pass_downs = (
        PassDown.objects.filter(campaign=campaign)
        .filter(Q(unit__path__startswith=unit.path) | Q(unit__code__in=above))
        .select_related("unit")
        .annotate(passed=Count("units"))
        .order_by("unit__path")
    )
    rows = [TreeRow(campaign.owner, 0, campaign.deadline, "", 0, campaign.owner.name)]
    base = campaign.owner.depth
    for pd in pass_downs:
        rows.append(TreeRow(pd.unit, pd.unit.depth - base, pd.deadline, pd.notice, pd.passed, ""))
    return rows


def pass_downs_above(campaign: Campaign, unit: OrgUnit) -> QuerySet[PassDown]:
    """The pass-down that gave ``unit`` the campaign (its notice and deadline), if any."""
    return PassDown.objects.filter(campaign=campaign, units=unit).select_related("unit")


# --- the write ---------------------------------------------------------------------------------


@transaction.atomic
def campaign_pass_down(
    *,
    campaign: Campaign,
    unit: OrgUnit,
    actor,
    target: str,
    deadline: dt.date,
    notice: str = "",
    picked: list[OrgUnit] | None = None,
) -> PassDown:
    """``unit`` passes the campaign on to ``target`` ("children", "grassroots" or "picked",
    then ``picked``). Passing again changes the deadline and notice for all the units it
    passed the campaign to and adds the new ones."""
    if not can_pass_down(actor, unit):
        raise NotPermitted(
            _("只有%(unit)s或上级单位的管理员、审核员可以下发活动") % {"unit": unit.name}
        )
    if not campaign.recipients.filter(pk=unit.pk).exists():
        raise ApplicationError(
            f"{unit.name}不是活动“{campaign.name}”的报送单位，不能下发", code="not_recipient"
        )
    _check_deadline(campaign, unit, deadline)
    existing = PassDown.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    new_units = _targets(campaign, unit, target, picked or [], existing)
    if existing is None and not new_units:
        raise ApplicationError(
            f"{unit.name}下没有可以下发的单位（均已是报送单位或已撤销）", code="no_units"
        )
    old_deadline = existing.deadline if existing else None
    if existing is not None:
        _check_below(campaign, existing, deadline)
    pd = existing or PassDown(campaign=campaign, unit=unit, created_by=user_or_none(actor))
    pd.deadline, pd.notice = deadline, notice.strip()
    pd.save()
    pd.units.add(*new_units)
    campaign.recipients.add(*new_units)
    audit_record(
        actor=actor,
        action="campaign.pass_down",
        target=campaign,
        unit=unit.code,
        deadline=[old_deadline.isoformat() if old_deadline else "", deadline.isoformat()],
        units=sorted(u.code for u in new_units),
    )
    return pd


def _check_deadline(campaign: Campaign, unit: OrgUnit, deadline: dt.date) -> None:
    own = deadline_of(campaign, unit)
    if deadline > own:
        message = (
            f"下发的报送截止日期 {deadline:%Y-%m-%d} 不能晚于{unit.name}本身的报送截止日期 "
            f"{own:%Y-%m-%d}"
        )
        raise ApplicationError(
            message, code="late_deadline", details=[{"field": "deadline", "message": message}]
        )
    if deadline < campaign.period_start:
        message = f"报送截止日期不能早于活动开始日期 {campaign.period_start:%Y-%m-%d}"
        raise ApplicationError(
            message, code="bad_dates", details=[{"field": "deadline", "message": message}]
        )


def _check_below(campaign: Campaign, existing: PassDown, deadline: dt.date) -> None:
    """A new, earlier deadline may not fall before those the units below already passed on."""
    later = PassDown.objects.filter(
        campaign=campaign, unit__in=existing.units.all(), deadline__gt=deadline
    ).select_related("unit")
    names = [f"{pd.unit.name}（{pd.deadline:%Y-%m-%d}）" for pd in later]
    if names:
        message = f"以下单位已按原截止日期向下发，新的截止日期不能早于它们的：{'、'.join(names)}"
        raise ApplicationError(
            message, code="late_deadline", details=[{"field": "deadline", "message": message}]
        )


def _targets(
    campaign: Campaign, unit: OrgUnit, target: str, picked: list[OrgUnit], existing
) -> list[OrgUnit]:
    if target not in TARGETS:
        raise ApplicationError(
            f"下发对象应为 {'、'.join(TARGETS)} 之一，而不是 {target}",
            code="bad_target",
            details=[{"field": "target", "message": "children / grassroots / picked"}],
        )
    below = OrgUnit.objects.filter(path__startswith=unit.path, active=True).exclude(pk=unit.pk)
    already = set(
        campaign.recipients.filter(path__startswith=unit.path).values_list("pk", flat=True)
    )
    if target == "children":
        return [u for u in below.filter(parent=unit) if u.pk not in already]
    if target == "grassroots":
        return [u for u in below.filter(kind=UnitKind.GRASSROOTS) if u.pk not in already]
    return _picked(unit, picked, already, existing)


def _picked(unit: OrgUnit, picked: list[OrgUnit], already: set, existing) -> list[OrgUnit]:
    if not picked:
        raise ApplicationError(
            "请选择要下发的单位", code="no_units", details=[{"field": "units", "message": "未选择"}]
        )
    outside = [u.code for u in picked if not u.is_within(unit) or u.pk == unit.pk]
    retired = [u.code for u in picked if not u.active]
    mine = set(existing.units.values_list("pk", flat=True)) if existing else set()
    taken = [u.code for u in picked if u.pk in already and u.pk not in mine]
    for codes, why in (
        (outside, f"不是{unit.name}的下级单位"),
        (retired, "已撤销"),
        (taken, "已是报送单位"),
    ):
        if codes:
            raise ApplicationError(
                f"以下单位{why}，不能下发：{'、'.join(codes)}",
                code="bad_units",
                details=[{"field": "units", "message": f"{c}：{why}"} for c in codes],
            )
    return [u for u in picked if u.pk not in mine]
