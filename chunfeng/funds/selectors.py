"""Scoped reads of the funds records: everything through the user (their unit's subtree), objects
outside it are a 404. The ledger's figures are in ``ledger``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.selectors import campaigns_visible_to
from chunfeng.core.rules import can_write_funds
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.models import Household, HouseholdStatus

from .models import (
    BatchStatus,
    DuplicateFlag,
    FlagStatus,
    PaymentBatch,
    PaymentLine,
    Receipt,
    Visit,
)


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


def funds_campaigns_newest_first(user) -> QuerySet[Campaign]:
    return funds_campaigns_visible_to(user).order_by("-period_start", "-id")


def funds_campaign_for(user, campaign_id) -> Campaign:
    try:
        return funds_campaigns_visible_to(user).get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404(
            _("没有编号为 %(campaign_id)s 的活动，或您无权查看") % {"campaign_id": campaign_id}
        ) from None


def chosen_campaign(user, campaign_id=None) -> Campaign | None:
    """``?campaign=ID`` if given (404 when not visible), else ``current_campaign``."""
    if campaign_id:
        return funds_campaign_for(user, campaign_id)
    return current_campaign(user)


def current_campaign(user, today: dt.date | None = None) -> Campaign | None:
    """The campaign with the user's current work, for pages opened without one: the newest in
    which the user's subtree has a batch still to pay (待发放); else the newest under way
    (today within its activity period); else the newest in which the subtree recorded anything
    (money, a batch, a visit); else the newest. One query."""
    if not _unit_ok(user):
        return None
    today = today or timezone.localdate()
    path = user.unit.path
    mine = {"campaign": OuterRef("pk"), "unit__path__startswith": path}
    return (
        funds_campaigns_visible_to(user)
        .annotate(
            open_batch=Exists(PaymentBatch.objects.filter(**mine, status=BatchStatus.DRAFT)),
            under_way=Q(period_start__lte=today, period_end__gte=today),
            has_work=Exists(PaymentBatch.objects.filter(**mine))
            | Exists(Receipt.objects.filter(**mine))
            | Exists(Visit.objects.filter(**mine)),
        )
        .order_by(
            F("open_batch").desc(),
            F("under_way").desc(),
            F("has_work").desc(),
            "-period_start",
            "-id",
        )
        .first()
    )


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
        "unit", "campaign", "created_by", "confirmed_by", "approved_by"
    )


def batch_for(user, pk) -> PaymentBatch:
    try:
        return batches_visible_to(user).get(pk=pk)
    except PaymentBatch.DoesNotExist:
        raise Http404(_("没有这个发放批次，或不在您的管辖范围内")) from None


def line_for(user, pk) -> PaymentLine:
    try:
        return (
            PaymentLine.objects.filter(unit__path__startswith=user.unit.path)
            .select_related("batch", "unit", "campaign", "household")
            .get(pk=pk)
        )
    except (PaymentLine.DoesNotExist, AttributeError):
        raise Http404(_("没有这条发放记录，或不在您的管辖范围内")) from None


def batch_lines(batch: PaymentBatch) -> QuerySet[PaymentLine]:
    return batch.lines.select_related("household", "unit").order_by("id")


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
        "line__unit",
        "line__batch",
        "line__household",
        "line__campaign__owner",
        "other__unit",
        "other__batch",
        "other__household",
        "resolved_by",
    )


def flag_for(user, pk) -> DuplicateFlag:
    try:
        return flags_visible_to(user).get(pk=pk)
    except DuplicateFlag.DoesNotExist:
        raise Http404(_("没有这条重复提示，或不在您的管辖范围内")) from None


# ---- lists for the pages and the API ----------------------------------------------------------


def _in(queryset, campaign: Campaign | None, unit: OrgUnit | None):
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    return queryset


def receipts_of(user, *, campaign: Campaign | None = None, unit: OrgUnit | None = None):
    """The user's receipts, of a campaign and a unit's subtree, by unit and newest first."""
    rows = _in(receipts_visible_to(user), campaign, unit).select_related("from_unit")
    return rows.order_by("unit__path", "-received_on", "-id")


def receipts_total(receipts) -> Decimal | None:
    return receipts.aggregate(s=Sum("amount"))["s"]


def batches_with_figures(queryset):
    """Each batch's live lines, their total and its open flags: the lines in one join, the
    flags in a sub-query (joining both would count each line once per flag)."""
    open_flags = (
        DuplicateFlag.objects.filter(line__batch=OuterRef("pk"), status=FlagStatus.OPEN)
        .order_by()
        .values("line__batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    live = Q(lines__cancelled=False)
    return queryset.annotate(
        live_lines=Count("lines", filter=live),
        live_total=Coalesce(Sum("lines__amount", filter=live), Value(Decimal(0))),
        open_flag_count=Coalesce(Subquery(open_flags[:1], output_field=IntegerField()), 0),
    )


def batches_of(user, *, campaign: Campaign | None = None, unit: OrgUnit | None = None):
    """The user's batches with their figures, by unit and newest first."""
    batches = _in(batches_visible_to(user), campaign, unit)
    return batches_with_figures(batches).order_by("unit__path", "-created_at", "-id")


def batch_with_figures(user, pk) -> PaymentBatch:
    batch = batch_for(user, pk)
    return batches_with_figures(batches_visible_to(user).filter(pk=batch.pk)).get()


def flags_by_line(lines) -> dict[int, list[DuplicateFlag]]:
    """The flags each of ``lines`` raised, in order."""
    by_line: dict[int, list[DuplicateFlag]] = {}
    flags = (
        DuplicateFlag.objects.filter(line__in=[line.pk for line in lines])
        .select_related("line__unit", "other__unit", "other__batch", "resolved_by")
        .order_by("line_id", "id")
    )
    for flag in flags:
        by_line.setdefault(flag.line_id, []).append(flag)
    return by_line


def visits_of(user, *, campaign: Campaign | None = None, unit: OrgUnit | None = None):
    return _in(visits_visible_to(user), campaign, unit).order_by("-visited_on", "-id")


def visit_counts(visits) -> dict[str, int]:
    return visits.aggregate(
        enterprises=Count("id", filter=Q(kind="enterprise")),
        hardship=Count("id", filter=Q(kind="enterprise", is_hardship_enterprise=True)),
        households=Count("household", distinct=True, filter=Q(kind="household")),
    )


def writable_units(user) -> list[OrgUnit]:
    """The active units the user may keep funds records for."""
    if not (_unit_ok(user) and can_write_funds(user, user.unit)):
        return []
    return list(OrgUnit.objects.filter(path__startswith=user.unit.path, active=True))


def flags_of(
    user,
    *,
    campaign: Campaign | None = None,
    status: str | None = None,
    root: OrgUnit | None = None,
):
    """The user's flags, of a campaign, in a status, touching ``root``'s subtree on either
    side of the pair."""
    qs = flags_visible_to(user)
    if root is not None:
        path = root.path
        qs = qs.filter(Q(line__unit__path__startswith=path) | Q(other__unit__path__startswith=path))
    if campaign is not None:
        qs = qs.filter(line__campaign=campaign)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("line__unit__path", "line_id", "id")


def household_aid(household) -> tuple[list[PaymentLine], list[Visit]]:
    """一户一档: every payment line and visit naming ``household``, across campaigns, newest
    first. The caller has already scoped the household to the user's subtree (a file seen is
    a file whose aid may be seen, whichever union paid it). Two queries."""
    lines = list(
        PaymentLine.objects.filter(household=household)
        .select_related("campaign", "unit", "batch")
        .order_by("-paid_on", "-pk")
    )
    visits = list(
        Visit.objects.filter(household=household)
        .select_related("campaign", "unit")
        .order_by("-visited_on", "-pk")
    )
    return lines, visits


PICK_LIMIT = 20


def households_to_pay(batch: PaymentBatch, q: str) -> QuerySet[Household]:
    """The batch page's picker: active files of the batch unit's subtree (within the user's,
    as the batch is) whose name holds ``q``, or whose ID number or phone holds its digits (four
    at least). At most ``PICK_LIMIT``."""
    q = (q or "").strip()
    files = Household.objects.filter(
        status=HouseholdStatus.ACTIVE, unit__path__startswith=batch.unit.path
    ).select_related("unit")
    if not q:
        return files.none()
    match = Q(name__icontains=q)
    digits = q.upper() if q.rstrip("Xx").isdigit() else ""
    if len(digits) >= 4:
        match |= Q(id_number__contains=digits) | Q(phone__contains=digits)
    return files.filter(match).order_by("name", "pk")[:PICK_LIMIT]


def household_to_pay(batch: PaymentBatch, *, pk=None, token: str = "") -> Household | None:
    """One active file of the batch unit's subtree, by its key or its ID's search token."""
    files = Household.objects.filter(
        status=HouseholdStatus.ACTIVE, unit__path__startswith=batch.unit.path
    ).select_related("unit")
    if pk is not None:
        return files.filter(pk=pk).first() if str(pk).isdecimal() else None
    return files.filter(id_token=token).first() if token else None
