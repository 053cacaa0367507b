"""汇总: a unit's 合计 — its own 本级 figures plus the exact sum of the reports filed in its
subtree, laid out as the same form (the formula and the 属地/产业 rule: ``branches``).

Only the topmost reporting units below the unit are summed (a district's report already holds
its grassroots unions' figures), so nothing is counted twice. Counts sum as integers, money as
Decimal in the blank's own unit (万元 keeps 4 decimals, 元 2), and a yes/no blank rolls up as
the number of units answering 是."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, Case, F, Q, Sum, Value, When
from django.db.models.functions import Cast, Round
from django.http import Http404
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign, CampaignForm
from chunfeng.campaigns.selectors import campaign_for, campaign_form
from chunfeng.formdefs.checks import Outcome, run_checks
from chunfeng.formdefs.schema import FormDefinition
from chunfeng.formdefs.values import DECIMALS
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.orgunits.selectors import unit_for
from chunfeng.reports.models import Report, ReportKind, ReportStatus, ReportValue

from .branches import BRANCHES, INDUSTRY, TERRITORY, Split, branch_of, split_totals

INCLUDE = {
    "approved": (ReportStatus.APPROVED,),
    "submitted": (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
}


@dataclass
class Summary:
    campaign: Campaign
    unit: OrgUnit
    campaign_form: CampaignForm
    definition: FormDefinition
    include: str
    contributors: list[OrgUnit]  # the units whose reports are expected in this sum
    included: list[OrgUnit]  # those whose reports qualified and were summed
    values: dict[str, int | Decimal]  # 合计: 本级 + 下级合计 by the form's branch rule
    per_unit: Mapping[str, dict[str, int | Decimal | bool]] = field(default_factory=dict)
    outcome: Outcome | None = None
    split: Split | None = None  # 本级, the branches, 下级合计 and 合计 per blank
    branch_of: dict[str, str] = field(default_factory=dict)  # contributor code → branch
    has_own: bool = False  # the unit keeps a 本级 filing with figures in it

    @property
    def missing(self) -> list[OrgUnit]:
        """Expected units without a qualifying report; a unit retired on or before the
        deadline is not expected (its report, if it filed one, is still summed)."""
        included = {u.pk for u in self.included}
        deadline = self.campaign.deadline
        return [
            u
            for u in self.contributors
            if u.pk not in included and (u.active or (u.retired_on and u.retired_on > deadline))
        ]


def contributors(campaign: Campaign, unit: OrgUnit) -> list[OrgUnit]:
    """The topmost recipients strictly below ``unit``. Sorted by path (in Python: a database's
    collation may ignore the slashes), a unit's descendants follow it, so one pass keeps each
    unit that is not below the last one kept — linear in N."""
    below = campaign.recipients.filter(path__startswith=unit.path).exclude(pk=unit.pk)
    topmost: list[OrgUnit] = []
    for candidate in sorted(below, key=lambda u: u.path):
        if not topmost or not candidate.path.startswith(topmost[-1].path):
            topmost.append(candidate)
    return topmost


def summary_for(
    campaign: Campaign, unit: OrgUnit, campaign_form: CampaignForm, include: str = "approved"
) -> Summary:
    """The 汇总 of ``unit``: a fixed number of queries, whatever the number of units."""
    if include not in INCLUDE:
        raise ValueError(include)
    definition = campaign_form.form_version.definition
    units = contributors(campaign, unit)
    reports = Report.objects.filter(
        campaign_form=campaign_form, unit__in=units, status__in=INCLUDE[include]
    )
    unit_of = dict(reports.values_list("pk", "unit_id"))
    own = own_values(campaign_form, unit, definition)
    industry = _industry_units(unit, units)
    codes = {u.code for u in industry}
    branches = {u.code: branch_of(u.path, unit.path, codes) for u in units}
    sums = branch_sums(definition, unit_of, [u.path for u in industry])
    split = split_totals(definition, own, sums.items(), set(branches.values()))
    filed = set(unit_of.values())
    included = [u for u in units if u.pk in filed]
    per_unit = UnitValues(definition, unit_of, {u.pk: u.code for u in included})
    return Summary(
        campaign,
        unit,
        campaign_form,
        definition,
        include,
        units,
        included,
        split.total,
        per_unit,
        run_checks(definition, split.total),
        split,
        branches,
        bool(own),
    )


def own_values(campaign_form: CampaignForm, unit: OrgUnit, definition: FormDefinition) -> dict:
    """The unit's 本级 figures (its own filing, whatever its state), typed; one query."""
    rows = ReportValue.objects.filter(
        report__campaign_form=campaign_form, report__unit=unit, report__kind=ReportKind.OWN
    ).values_list("code", "value")
    return {
        code: _typed(definition.blanks[code].type, value)
        for code, value in rows
        if code in definition.blanks
    }


def _industry_units(unit: OrgUnit, units: list[OrgUnit]) -> list[OrgUnit]:
    """The industrial unions strictly below ``unit`` (one query; none when nobody reports)."""
    if not units:
        return []
    below = OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.INDUSTRY)
    return list(below.exclude(pk=unit.pk).only("pk", "code", "path"))


SCALE = 10**4  # ReportValue.value has 4 decimal places: summed as whole ten-thousandths


def branch_sums(
    definition: FormDefinition, unit_of: dict[int, int], industry_paths: list[str]
) -> dict[str, dict[str, int | Decimal]]:
    """下级合计 per branch and blank, summed by the database in one grouped query.

    Exact on every database: each value is scaled to a whole number of ten-thousandths before
    ``SUM`` (SQLite keeps decimals as floating point and would sum them inexactly; a scaled
    integer is exact up to 2**53, far beyond any figure of a form), and turned back into the
    blank's type here. A report's branch is decided in SQL: 产业 when its unit lies under an
    industrial union below the unit (by path prefix), else 属地."""
    sums: dict[str, dict[str, int | Decimal]] = {b: {} for b in BRANCHES}
    if not unit_of:
        return sums
    branch: Case | Value = Value(TERRITORY)
    if industry_paths:
        under = Q()
        for path in industry_paths:
            under |= Q(report__unit__path__startswith=path)
        branch = Case(When(under, then=Value(INDUSTRY)), default=Value(TERRITORY))
    scaled = Cast(Round(F("value") * SCALE), BigIntegerField())
    rows = (
        ReportValue.objects.filter(report_id__in=list(unit_of), code__in=list(definition.blanks))
        .annotate(branch=branch)
        .values("branch", "code")
        .annotate(total=Sum(scaled))
        .values_list("branch", "code", "total")
    )
    for name, code, total in rows:
        sums[name][code] = _from_scaled(definition.blanks[code].type, int(total))
    return sums


def _from_scaled(btype: str, total: int) -> int | Decimal:
    if btype in ("count", "yesno"):
        return total // SCALE
    return (Decimal(total) / SCALE).quantize(Decimal(1).scaleb(-DECIMALS[btype]))


class UnitValues(Mapping):
    """Each included unit's typed figures (unit code → blank → value), read from the database
    only when a view needs them (the unit table, the drill-down, the exports), streamed."""

    def __init__(self, definition: FormDefinition, unit_of: dict[int, int], codes: dict):
        self._definition, self._unit_of, self._codes = definition, unit_of, codes
        self._data: dict[str, dict] | None = None

    def _load(self) -> dict[str, dict]:
        if self._data is None:
            data: dict[str, dict] = {code: {} for code in self._codes.values()}
            rows = ReportValue.objects.filter(report_id__in=list(self._unit_of))
            blanks = self._definition.blanks
            for report_id, code, value in rows.values_list("report_id", "code", "value").iterator(
                chunk_size=5000
            ):
                if code in blanks:
                    unit_code = self._codes[self._unit_of[report_id]]
                    data[unit_code][code] = _typed(blanks[code].type, value)
            self._data = data
        return self._data

    def __getitem__(self, code: str) -> dict:
        return self._load()[code]

    def __iter__(self):
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)


def summary_visible_to(
    user, campaign_id: int, unit_code: str, form_code: str, include: str = "approved"
) -> Summary:
    """The 汇总 a page or an endpoint asks for: 404 outside the user's reach or for an unknown
    ``include`` (``approved`` or ``submitted``)."""
    campaign = campaign_for(user, campaign_id)
    unit = unit_for(user, unit_code)
    cform = campaign_form(campaign, form_code)
    if include not in INCLUDE:
        raise Http404(_("status 只能是 approved 或 submitted"))
    return summary_for(campaign, unit, cform, include)


def previous_summary(summary: Summary) -> Summary | None:
    """The same 汇总 in the owner's previous campaign that asked for the same form."""
    code = summary.campaign_form.code
    previous = previous_campaign(summary.campaign, code)
    if previous is None:
        return None
    cform = previous.forms.select_related("form_version").filter(code=code).first()
    if cform is None:
        return None
    return summary_for(previous, summary.unit, cform, summary.include)


def _typed(btype: str, value: Decimal):
    if btype == "count":
        return int(value)
    if btype == "yesno":
        return bool(value)
    return value.quantize(Decimal(1).scaleb(-DECIMALS[btype]))


def sum_values(definition: FormDefinition, rows) -> dict[str, int | Decimal]:
    """Exact totals per blank over rows of typed values; yes/no counts the 是 answers."""
    totals: dict[str, int | Decimal] = defaultdict(int)
    seen: set[str] = set()
    for row in rows:
        for code, value in row.items():
            seen.add(code)
            totals[code] += int(value) if isinstance(value, bool) else value
    return {code: totals[code] for code in definition.blanks if code in seen}


def previous_campaign(campaign: Campaign, form_code: str) -> Campaign | None:
    """The latest earlier campaign of the same owner that asked for the same form."""
    return (
        Campaign.objects.filter(
            owner=campaign.owner, forms__code=form_code, period_start__lt=campaign.period_start
        )
        .order_by("-period_start")
        .first()
    )


@dataclass(frozen=True)
class Change:
    code: str
    label: str
    unit: str
    current: int | Decimal | None
    previous: int | Decimal | None

    @property
    def delta(self):
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> Decimal | None:
        if self.delta is None or not self.previous:
            return None
        percent = Decimal(self.delta) * 100 / Decimal(self.previous)
        return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def flagged(self) -> bool:
        """A large change: at least half again or half less, or from nothing to something."""
        if self.delta is None:
            return False
        if not self.previous:
            return bool(self.current)
        percent = self.percent
        return percent is not None and abs(percent) >= 50


def compare(current: Summary, previous: Summary | None) -> list[Change]:
    old = previous.values if previous else {}
    return [
        Change(code, b.label, b.unit, current.values.get(code), old.get(code))
        for code, b in current.definition.blanks.items()
    ]
