"""汇总: a unit's 合计 — its own 本级 figures plus the exact sum of the reports filed in its
subtree, laid out as the same form (the formula and the 属地/产业 rule: ``branches``).

Only the topmost reporting units below the unit are summed (a district's report already holds
its grassroots unions' figures), so nothing is counted twice. The database finds them, sums
their reports and counts them: nothing is done per unit in Python for the totals, and the
units' own figures are read (a page or a stream at a time: ``per_unit``) only by the views
that show them. Counts sum as integers, money as
Decimal in the blank's own unit (万元 keeps 4 decimals, 元 2), and a yes/no blank rolls up as
the number of units answering 是."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
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

from .branches import BRANCHES, INDUSTRY, TERRITORY, Split, split_totals
from .per_unit import PathOrder, UnitValues, typed

INCLUDE = {
    "approved": (ReportStatus.APPROVED,),
    "submitted": (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
}
MISSING_NAMED = 20  # the missing units a page names; the rest are counted (the API lists all)


@dataclass(frozen=True)
class Counts:
    contributors: int  # the units whose reports are expected in this sum
    included: int  # those whose reports qualified and were summed
    missing: int  # expected, without a qualifying report (see ``Summary.missing``)


@dataclass
class Summary:
    """A 汇总. Its totals are computed; the units behind them are querysets (read, a page or a
    stream at a time, only by the views that show them: the unit table, the drill-down, the
    exports, the API's lists), so a 汇总 over 10,000 units holds no per-unit row in memory."""

    campaign: Campaign
    unit: OrgUnit
    campaign_form: CampaignForm
    definition: FormDefinition
    include: str
    contributors: QuerySet[OrgUnit]  # the topmost recipients below the unit, in path order
    counts: Counts
    values: dict[str, int | Decimal]  # 合计: 本级 + 下级合计 by the form's branch rule
    outcome: Outcome
    split: Split  # 本级, the branches, 下级合计 and 合计 per blank
    industry_paths: list[str]  # the industrial unions below the unit: the 产业 branch
    has_own: bool = False  # the unit keeps a 本级 filing with figures in it
    memo: dict = field(default_factory=dict, repr=False)  # what is read once per 汇总

    @cached_property
    def reports(self) -> QuerySet[Report]:
        """The contributors' filed reports that qualify (``include``): the ones summed."""
        return qualifying(self.campaign_form, self.include).filter(unit__in=self.contributors)

    @cached_property
    def included(self) -> QuerySet[OrgUnit]:
        found = with_report(self.contributors, self.campaign_form, self.include)
        return found.filter(Q(summed__isnull=False))

    @cached_property
    def missing(self) -> QuerySet[OrgUnit]:
        """Expected units without a qualifying report; a unit retired on or before the
        deadline is not expected (its report, if it filed one, is still summed)."""
        found = with_report(self.contributors, self.campaign_form, self.include)
        return found.filter(_expected(self.campaign), Q(summed__isnull=True))

    @cached_property
    def per_unit(self) -> UnitValues:
        """Each included unit's typed figures by unit code, read when first asked for."""
        return UnitValues(self.definition, self.reports)

    def branch(self) -> Case | Value:
        """The branch of a unit of ``contributors`` (an annotation)."""
        return branch_expression(self.industry_paths)


def qualifying(campaign_form: CampaignForm, include: str) -> QuerySet[Report]:
    return Report.objects.filter(campaign_form=campaign_form, status__in=INCLUDE[include])


def with_report(
    units: QuerySet[OrgUnit], campaign_form: CampaignForm, include: str
) -> QuerySet[OrgUnit]:
    """``units`` with their qualifying filed report of the form joined as ``summed`` (null
    where there is none): one join, not a look-up per unit (a unit files one per form)."""
    condition = Q(
        reports__campaign_form=campaign_form,
        reports__kind=ReportKind.FILED,
        reports__status__in=INCLUDE[include],
    )
    return units.annotate(summed=FilteredRelation("reports", condition=condition))


def _expected(campaign: Campaign) -> Q:
    return Q(active=True) | Q(retired_on__gt=campaign.deadline)


def contributors(campaign: Campaign, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The topmost recipients strictly below ``unit``, in path order: found by the database
    (a district's report already holds its grassroots unions', so these are not summed again).

    A recipient below the unit is topmost when none of its ancestors strictly below the unit
    is a recipient: one ``NOT EXISTS`` per level of the tree between them (looked up through
    the parent link and the recipients' index), so the work is linear in the units below."""
    recipients = Campaign.recipients.through.objects.filter(campaign_id=campaign.pk)
    below = OrgUnit.objects.filter(campaigns=campaign, path__startswith=unit.path).exclude(
        pk=unit.pk
    )
    deepest = below.aggregate(deepest=Max("depth"))["deepest"] or unit.depth
    for up in range(1, deepest - unit.depth):
        ancestor = "__".join(["parent"] * up)
        has_recipient = Exists(recipients.filter(orgunit_id=OuterRef(ancestor)))
        below = below.filter(Q(depth__lte=unit.depth + up) | ~has_recipient)
    return below.only(*UNIT_FIELDS).order_by(PathOrder("path"))


UNIT_FIELDS = ("pk", "code", "name", "path", "depth", "active", "retired_on")


def summary_for(
    campaign: Campaign, unit: OrgUnit, campaign_form: CampaignForm, include: str = "approved"
) -> Summary:
    """The 汇总 of ``unit``: a fixed number of queries, whatever the number of units, and
    nothing done per unit in Python (the database sums, counts and finds the contributors)."""
    if include not in INCLUDE:
        raise ValueError(include)
    definition = campaign_form.form_version.definition
    units = contributors(campaign, unit)
    own = own_values(campaign_form, unit, definition)
    industry = industry_paths(unit)
    reports = qualifying(campaign_form, include).filter(unit__in=units)
    counts = _counts(campaign, units, campaign_form, include)
    sums = branch_sums(definition, reports, industry) if counts.included else {}
    present = branch_present(units, industry) if counts.contributors else set()
    split = split_totals(definition, own, sums.items(), present)
    return Summary(
        campaign,
        unit,
        campaign_form,
        definition,
        include,
        units,
        counts,
        split.total,
        run_checks(definition, split.total),
        split,
        industry,
        bool(own),
    )


def _counts(
    campaign: Campaign, units: QuerySet[OrgUnit], campaign_form: CampaignForm, include: str
) -> Counts:
    """How many units are expected, included and missing: one query."""
    found = with_report(units.order_by(), campaign_form, include).aggregate(
        contributors=Count("pk"),
        included=Count("summed"),
        missing=Count("pk", filter=Q(summed__isnull=True) & _expected(campaign)),
    )
    return Counts(found["contributors"], found["included"], found["missing"])


def own_values(campaign_form: CampaignForm, unit: OrgUnit, definition: FormDefinition) -> dict:
    """The unit's 本级 figures (its own filing, whatever its state), typed; one query."""
    rows = ReportValue.objects.filter(
        report__campaign_form=campaign_form, report__unit=unit, report__kind=ReportKind.OWN
    ).values_list("code", "value")
    return {
        code: typed(definition.blanks[code].type, value)
        for code, value in rows
        if code in definition.blanks
    }


def industry_paths(unit: OrgUnit) -> list[str]:
    """The paths of the industrial unions strictly below ``unit`` (one query; a few)."""
    below = OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.INDUSTRY)
    return list(below.exclude(pk=unit.pk).values_list("path", flat=True))


def branch_expression(paths: list[str], prefix: str = "") -> Case | Value:
    """产业 for a unit (at ``prefix``, a relation to it) under one of the industrial unions at
    ``paths`` (or one of them), else 属地: decided by the database, by path prefix."""
    if not paths:
        return Value(TERRITORY)
    under = Q()
    for path in paths:
        under |= Q(**{f"{prefix}path__startswith": path})
    return Case(When(under, then=Value(INDUSTRY)), default=Value(TERRITORY))


def branch_present(units: QuerySet[OrgUnit], paths: list[str]) -> set[str]:
    """The branches that have reporting units (filed or not) below the unit: one query."""
    if not paths:
        return {TERRITORY}
    found = units.order_by().annotate(branch=branch_expression(paths)).values("branch")
    return set(found.distinct().values_list("branch", flat=True))


SCALE = 10**4  # ReportValue.value has 4 decimal places: summed as whole ten-thousandths


def exact_sum(vendor: str) -> Sum:
    """``SUM`` of the stored values, exact on every database: PostgreSQL sums ``numeric``
    exactly; SQLite keeps decimals as floating point, so there each value is scaled to a whole
    number of ten-thousandths first (a scaled integer is exact up to 2**53, far beyond any
    figure of a form) and turned back into the blank's type after."""
    if vendor == "postgresql":
        return Sum("value")
    return Sum(Cast(Round(F("value") * SCALE), BigIntegerField()))


def branch_sums(
    definition: FormDefinition, reports: QuerySet[Report], industry: list[str]
) -> dict[str, dict[str, int | Decimal]]:
    """下级合计 per branch and blank, summed by the database in one grouped query over the
    qualifying reports (a subquery, not a list of ids). A report's branch is decided in SQL
    (``branch_expression``)."""
    sums: dict[str, dict[str, int | Decimal]] = {b: {} for b in BRANCHES}
    vendor = connection.vendor
    rows = (
        ReportValue.objects.filter(report__in=reports.values("pk"))
        .annotate(branch=branch_expression(industry, "report__unit__"))
        .values("branch", "code")
        .annotate(total=exact_sum(vendor))
        .values_list("branch", "code", "total")
    )
    blanks = definition.blanks
    for name, code, total in rows:
        if code in blanks:  # a stored value the definition no longer names is not summed
            sums[name][code] = _from_sum(blanks[code].type, total, vendor)
    return sums


def _from_sum(btype: str, total, vendor: str) -> int | Decimal:
    if vendor == "postgresql":
        return typed_total(btype, Decimal(total))
    if btype in ("count", "yesno"):
        return int(total) // SCALE
    return (Decimal(int(total)) / SCALE).quantize(Decimal(1).scaleb(-DECIMALS[btype]))


def typed_total(btype: str, total: Decimal) -> int | Decimal:
    """A sum of stored values in its blank's type (a yes/no sum counts the 是 answers)."""
    if btype in ("count", "yesno"):
        return int(total)
    return total.quantize(Decimal(1).scaleb(-DECIMALS[btype]))


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
    """The same 汇总 in the owner's previous campaign that asked for the same form. Computed
    once per 汇总: the page and the panels on it (the composition chart) ask for it each."""
    if "previous" not in summary.memo:
        summary.memo["previous"] = _previous_summary(summary)
    return summary.memo["previous"]


def _previous_summary(summary: Summary) -> Summary | None:
    code = summary.campaign_form.code
    previous = previous_campaign(summary.campaign, code)
    if previous is None:
        return None
    cform = previous.forms.select_related("form_version").filter(code=code).first()
    if cform is None:
        return None
    return summary_for(previous, summary.unit, cform, summary.include)


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
