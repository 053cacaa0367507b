"""Who has reported, who is late, and the reporting and timeliness rates per level."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign, CampaignForm
from chunfeng.orgunits.models import OrgUnit, UnitKind

from .models import Report, ReportStatus

FILED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


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


def expected_units(campaign: Campaign, root: OrgUnit):
    """Recipients in ``root``'s subtree, without those retired on or before the deadline."""
    return (
        campaign.recipients.filter(path__startswith=root.path)
        .filter(Q(active=True) | Q(retired_on__gt=campaign.deadline))
        .order_by("path")
    )


def completeness(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    units = list(expected_units(campaign, root))
    forms = list(campaign.forms.select_related("form_version"))
    reports = {
        (r.unit_id, r.campaign_form_id): r
        for r in Report.objects.filter(campaign_form__in=forms, unit__in=units)
    }
    return [
        Row(u, f, reports.get((u.pk, f.pk)), campaign.deadline, today) for u in units for f in forms
    ]


@dataclass(frozen=True)
class Rate:
    level: str
    expected: int
    filed: int
    on_time: int

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


def rates(rows: list[Row]) -> list[Rate]:
    """报送率 and 及时率 per level (kind of unit) and overall; a numerator never exceeds its
    denominator because both count the same expected (unit, form) pairs."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[UnitKind(row.unit.kind).label].append(row)
    groups[str(_("合计"))] = rows
    return [
        Rate(level, len(rs), sum(r.filed for r in rs), sum(bool(r.on_time) for r in rs))
        for level, rs in groups.items()
    ]


def overdue_units(rows: list[Row]) -> list[OrgUnit]:
    return list({r.unit.pk: r.unit for r in rows if r.overdue}.values())
