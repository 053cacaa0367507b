"""Who has reported, who is late, and the reporting and timeliness rates per level and per form.

Every answer takes a fixed number of queries whatever the number of units: the rates are
counted by the database (one query grouped by level), the overdue units and the detail are read
a page of units at a time. The deadline that counts for a unit is the one it was given (its
pass-down's, ``campaigns.passdown``), else the campaign's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign, CampaignForm
from chunfeng.campaigns.passdown import deadline_expression, deadlines_in, deadlines_of
from chunfeng.orgunits.models import OrgUnit, UnitKind

from .models import Report, ReportStatus

FILED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
PAGE_SIZE = 50  # units per page of the detail and of the overdue list


@dataclass(frozen=True)
class Row:
    unit: OrgUnit
    form: CampaignForm
    report: Report | None
    deadline: dt.date
    today: dt.date

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"

    @property
    def submitted_at(self):
        return self.report.first_submitted_at if self.report else None

    @property
    def filed(self) -> bool:
        return self.status in FILED

    @property
    def on_time(self) -> bool | None:
        """None unless filed (submitted or approved); then whether it was first submitted on or
        before the deadline day. A returned report is not filed until it is resubmitted."""
        if self.submitted_at is None or not self.filed:
            return None
        return timezone.localdate(self.submitted_at) <= self.deadline

    @property
    def overdue(self) -> bool:
        return not self.filed and self.today > self.deadline


def expected_units(campaign: Campaign, root: OrgUnit) -> QuerySet[OrgUnit]:
    """Recipients in ``root``'s subtree, without those retired on or before the deadline."""
    return (
        campaign.recipients.filter(path__startswith=root.path)
        .filter(Q(active=True) | Q(retired_on__gt=campaign.deadline))
        .order_by("path")
    )


def _forms(campaign: Campaign) -> list[CampaignForm]:
    return list(campaign.forms.select_related("form_version"))


def _flag(name: str) -> str:
    return name.replace("-", "_")


def with_flags(campaign: Campaign, units: QuerySet[OrgUnit], forms: list[CampaignForm]):
    """``units`` annotated with their ``deadline`` and, per form, ``filed_<code>`` and
    ``on_time_<code>`` (first submitted on or before the unit's deadline, local date)."""
    units = units.annotate(deadline=deadline_expression(campaign))
    for f in forms:
        filed = Report.objects.filter(unit=OuterRef("pk"), campaign_form=f, status__in=FILED)
        on_time = filed.filter(first_submitted_at__date__lte=OuterRef("deadline"))
        units = units.annotate(
            **{f"filed_{_flag(f.code)}": Exists(filed), f"on_time_{_flag(f.code)}": Exists(on_time)}
        )
    return units


def _missing_any(forms: list[CampaignForm]) -> Q:
    missing = Q(pk__in=[])
    for f in forms:
        missing |= Q(**{f"filed_{_flag(f.code)}": False})
    return missing


# --- rates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    level: str
    expected: int
    filed: int
    on_time: int
    form: str = ""  # a form's code; empty: all the campaign's forms together

    @staticmethod
    def _pct(n: int, d: int) -> Decimal | None:
        if not d:
            return None
        return (Decimal(n) * 100 / d).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def filing_rate(self):
        return self._pct(self.filed, self.expected)

    @property
    def timely_rate(self):
        return self._pct(self.on_time, self.expected)


@dataclass(frozen=True)
class Rates:
    together: list[Rate]  # per level and 合计, over every (unit, form) expected
    per_form: list[Rate]  # per level and 合计, for each form


def rates_for(campaign: Campaign, root: OrgUnit) -> Rates:
    """报送率 and 及时率 per level (kind of unit) and overall, per form and for all forms
    together, counted in one query grouped by level. A numerator never exceeds its
    denominator because both count the same expected (unit, form) pairs."""
    forms = _forms(campaign)
    units = with_flags(campaign, expected_units(campaign, root), forms)
    sums = {"expected": Count("pk")}
    for f in forms:
        for kind in ("filed", "on_time"):
            name = f"{kind}_{_flag(f.code)}"
            sums[f"n_{name}"] = Sum(Cast(name, IntegerField()))
    grouped = {row["kind"]: row for row in units.order_by().values("kind").annotate(**sums)}
    order = [k for k in UnitKind.values if k in grouped]
    levels = [(str(UnitKind(k).label), [grouped[k]]) for k in order]
    levels.append((str(_("合计")), list(grouped.values())))
    per_form = [_rate(level, rows, forms=[f], form=f.code) for f in forms for level, rows in levels]
    together = [_rate(level, rows, forms=forms) for level, rows in levels]
    return Rates(together=together, per_form=per_form)


def _rate(level: str, rows: list[dict], *, forms: list[CampaignForm], form: str = "") -> Rate:
    def total(kind: str) -> int:
        return sum(row[f"n_{kind}_{_flag(f.code)}"] or 0 for row in rows for f in forms)

    expected = sum(row["expected"] for row in rows) * len(forms)
    return Rate(level, expected, total("filed"), total("on_time"), form)


# --- the overdue units and the detail, a page at a time ---------------------------------------


@dataclass(frozen=True)
class Overdue:
    unit: OrgUnit
    deadline: dt.date
    missing: list[CampaignForm]  # the forms it has not filed


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    count: int  # of units in all pages

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _slice(qs: QuerySet, page: int) -> tuple[list, int, int]:
    count = qs.count()
    last = max(1, -(-count // PAGE_SIZE))
    page = min(max(1, page), last)
    return list(qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]), page, count


def overdue_units_page(
    campaign: Campaign, root: OrgUnit, page: int = 1, today: dt.date | None = None
) -> Page:
    """Units past their deadline that have not filed every form, each with the forms missing."""
    today = today or timezone.localdate()
    forms = _forms(campaign)
    units = with_flags(campaign, expected_units(campaign, root), forms)
    late = units.filter(deadline__lt=today).filter(_missing_any(forms))
    found, number, count = _slice(late, page)
    items = [
        Overdue(u, u.deadline, [f for f in forms if not getattr(u, f"filed_{_flag(f.code)}")])
        for u in found
    ]
    return Page(items, number, count)


DETAIL_STATES = ("missing", "late", "filed")  # the detail's ``state`` filter
DETAIL_SORTS = {  # the detail's ``sort``: the order of its units
    "": ("path",),
    "name": ("name", "path"),
    "-name": ("-name", "path"),
    "deadline": ("deadline", "path"),
    "-deadline": ("-deadline", "path"),
}


def detail_page(
    campaign: Campaign,
    root: OrgUnit,
    *,
    page: int = 1,
    level: str = "",
    state: str = "",
    q: str = "",
    sort: str = "",
    today: dt.date | None = None,
) -> Page:
    """A page of units (of one level when ``level`` is a unit kind), each with a ``Row`` per
    form: (unit, [rows]). ``state``: units with a form missing, late (past their deadline with
    a form missing) or with every form filed; ``q``: a part of the unit's name or the start of
    its code; ``sort``: one of ``DETAIL_SORTS`` (by the tree otherwise). All in SQL, so a page
    costs the same whatever the number of units."""
    today = today or timezone.localdate()
    forms = _forms(campaign)
    units = with_flags(campaign, expected_units(campaign, root), forms)
    if level in UnitKind.values:
        units = units.filter(kind=level)
    if state == "missing":
        units = units.filter(_missing_any(forms))
    elif state == "late":
        units = units.filter(_missing_any(forms)).filter(deadline__lt=today)
    elif state == "filed":
        units = units.exclude(_missing_any(forms))
    q = q.strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__startswith=q))
    units = units.order_by(*DETAIL_SORTS.get(sort, DETAIL_SORTS[""]))
    found, number, count = _slice(units, page)
    deadlines = deadlines_of(campaign, found)
    reports = {
        (r.unit_id, r.campaign_form_id): r
        for r in Report.objects.filter(campaign_form__in=forms, unit__in=found)
    }
    items = [
        (u, [Row(u, f, reports.get((u.pk, f.pk)), deadlines[u.pk], today) for f in forms])
        for u in found
    ]
    return Page(items, number, count)


def units_missing_forms(campaign: Campaign, root: OrgUnit) -> QuerySet[OrgUnit]:
    """Expected units of ``root``'s subtree that have not filed every form, with their
    ``deadline`` annotated (for the automatic 催报)."""
    forms = _forms(campaign)
    return with_flags(campaign, expected_units(campaign, root), forms).filter(_missing_any(forms))


def overdue_units(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> list[OrgUnit]:
    """Every unit strictly below ``root`` past its deadline with a form missing (for 催报)."""
    today = today or timezone.localdate()
    late = units_missing_forms(campaign, root).filter(deadline__lt=today)
    return list(late.exclude(pk=root.pk))


def completeness(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> list[Row]:
    """Every expected (unit, form) of ``root``'s subtree as a ``Row``, in three queries however
    many units (the dashboards' charts and grid group them by child unit and by form)."""
    today = today or timezone.localdate()
    forms = _forms(campaign)
    units = list(expected_units(campaign, root))
    deadlines = deadlines_in(campaign, root)
    reports = {
        (r.unit_id, r.campaign_form_id): r
        for r in Report.objects.filter(campaign_form__in=forms, unit__path__startswith=root.path)
    }
    return [
        Row(u, f, reports.get((u.pk, f.pk)), deadlines.get(u.pk, campaign.deadline), today)
        for u in units
        for f in forms
    ]
