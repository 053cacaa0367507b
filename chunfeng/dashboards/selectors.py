"""The figures of the dashboards, as charts: plain JSON-ready dicts that the pages draw (static
``chunfeng/charts.js`` reads them from the chart URLs), print as tables and the API serves, so a
figure is the same wherever it is read. Composed from the selectors of the apps below; every
chart uses a fixed number of queries, however many units lie below.

A chart is ``{"chart", "title", "kind", "unit", "categories", "series": [{"name", "stack",
"data"}], "links", "link", "marks"}``: ``data`` holds one value per category, money and rates as
exact decimal text ("1234.50", "87.5"), counts as integers, ``None`` where nothing is known;
``links`` the list behind each category and ``link`` the list behind the whole chart."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.applications.selectors import overdue_reviews_in
from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.passdown import deadline_of
from chunfeng.cases.models import Status as CaseStatus
from chunfeng.cases.selectors import cases_visible_to
from chunfeng.funds.coverage import coverage
from chunfeng.funds.ledger import ledger_figures
from chunfeng.funds.models import FlagStatus, PaymentLine, Source
from chunfeng.funds.selectors import (
    flags_of,
    funds_campaign_for,
    funds_campaigns_newest_first,
)
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import unit_for
from chunfeng.reports.completeness import Rate, Row, completeness

Chart = dict[str, Any]
CENT = Decimal("0.01")
DAYS_SHOWN = 120  # the payments-per-day chart shows at most this many days


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def link_to(name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def chart(
    name: str,
    title: str,
    categories: list[str],
    series: list[dict[str, Any]],
    *,
    kind: str = "bar",
    unit: str = "",
    links: list[str] | None = None,
    link: str = "",
    marks: list[dict[str, str]] | None = None,
) -> Chart:
    return {
        "chart": name,
        "title": title,
        "kind": kind,
        "unit": unit,
        "categories": categories,
        "series": series,
        "links": links or [],
        "link": link,
        "marks": marks or [],
    }


def series(name: str, data: list[Any], *, stack: str = "", kind: str = "") -> dict[str, Any]:
    return {"name": name, "stack": stack, "kind": kind, "data": data}


def table_rows(found: Chart) -> list[tuple[str, str, list[Any]]]:
    """(category, its link, one value per series): the chart printed as a table."""
    links = found["links"] or [""] * len(found["categories"])
    return [
        (category, links[i], [s["data"][i] for s in found["series"]])
        for i, category in enumerate(found["categories"])
    ]


# ---- what a dashboard is about: a campaign and a unit's subtree --------------------------------


def dashboard_campaigns(user) -> QuerySet[Campaign]:
    return funds_campaigns_newest_first(user)


def dashboard_campaign(user, campaign_id=None) -> Campaign | None:
    """The campaign asked for (404 outside the user's reach), else the user's newest."""
    if campaign_id:
        return funds_campaign_for(user, campaign_id)
    return dashboard_campaigns(user).first()


def dashboard_root(user, unit_code: str | None = None) -> OrgUnit:
    return unit_for(user, unit_code) if unit_code else user.unit


def children_of(root: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(parent=root).order_by("path"))


def has_children(unit: OrgUnit) -> bool:
    return OrgUnit.objects.filter(parent=unit).exists()


def _branch(root: OrgUnit, unit: OrgUnit) -> str:
    """The code of the child of ``root`` whose subtree holds ``unit``; ``root``'s own code for
    ``root`` itself."""
    codes = unit.path.strip("/").split("/")
    return codes[root.depth + 1] if len(codes) > root.depth + 1 else root.code


def _own_label(root: OrgUnit) -> str:
    return _("%(name)s（本级）") % {"name": root.name}


# ---- 报送率 / 及时率 -------------------------------------------------------------------------


def _rate_of(rows: list[Row]) -> Rate:
    return Rate("", len(rows), sum(r.filed for r in rows), sum(bool(r.on_time) for r in rows))


def _rate_series(rates: list[Rate]) -> list[dict[str, Any]]:
    return [
        series(_("报送率"), [_text(r.filing_rate) for r in rates]),
        series(_("及时率"), [_text(r.timely_rate) for r in rates]),
    ]


def filing_by_unit(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> Chart:
    """报送率 and 及时率 of each child unit's subtree (and of ``root``'s own reports)."""
    rows = completeness(campaign, root, today)
    units = {u.code: u for u in children_of(root)}
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[_branch(root, row.unit)].append(row)
    order = ([root.code] if root.code in groups else []) + [c for c in units if c in groups]
    names = [_own_label(root) if c == root.code else units[c].name for c in order]
    behind = link_to("campaign-completeness", campaign.pk)
    return chart(
        "filing-units",
        _("各单位报送率与及时率"),
        names,
        _rate_series([_rate_of(groups[c]) for c in order]),
        unit="%",
        links=[
            link_to("campaign-completeness", campaign.pk, unit=c) if c != root.code else behind
            for c in order
        ],
        link=link_to("campaign-completeness", campaign.pk, unit=root.code),
    )


def filing_by_form(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> Chart:
    """报送率 and 及时率 of each form of the campaign over ``root``'s subtree."""
    rows = completeness(campaign, root, today)
    groups: dict[int, list[Row]] = defaultdict(list)
    forms = {}
    for row in rows:
        groups[row.form.pk].append(row)
        forms[row.form.pk] = row.form
    order = sorted(forms, key=lambda pk: forms[pk].code)
    behind = link_to("campaign-completeness", campaign.pk, unit=root.code)
    return chart(
        "filing-forms",
        _("各表报送率与及时率"),
        [f"{forms[pk].form_version.attachment} {forms[pk].form_version.title}" for pk in order],
        _rate_series([_rate_of(groups[pk]) for pk in order]),
        unit="%",
        links=[behind] * len(order),
        link=behind,
    )


def filing_grid(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> dict:
    """The unit × form status grid of the expected reports of ``root``'s subtree."""
    rows = completeness(campaign, root, today)
    forms: dict[int, Any] = {}
    by_unit: dict[int, dict[int, Row]] = defaultdict(dict)
    units: dict[int, OrgUnit] = {}
    for row in rows:
        forms.setdefault(row.form.pk, row.form)
        units.setdefault(row.unit.pk, row.unit)
        by_unit[row.unit.pk][row.form.pk] = row
    form_order = sorted(forms, key=lambda pk: forms[pk].code)
    return {
        "forms": [forms[pk] for pk in form_order],
        "rows": [
            (units[u], [by_unit[u].get(f) for f in form_order])
            for u in sorted(units, key=lambda pk: units[pk].path)
        ],
    }


# ---- money ----------------------------------------------------------------------------------


def money_by_unit(campaign: Campaign, root: OrgUnit) -> Chart:
    """Money raised (stacked by source, 附件1 05B–05E) and paid per child unit's subtree, with
    the balance left; ``root``'s own receipts and payments as a first column when it has any."""
    figures = ledger_figures(campaign, root)
    own = figures[root.pk][1]
    children = sorted(
        (pk for pk, (u, _o, _t) in figures.items() if u.parent_id == root.pk),
        key=lambda pk: figures[pk][0].path,
    )
    columns = [(root, own)] if own.raised or own.paid else []
    columns += [(figures[pk][0], figures[pk][2]) for pk in children]
    data = [
        series(str(s.label), [str(f.by_source[s.value]) for _u, f in columns], stack="raised")
        for s in Source
    ]
    data.append(series(_("已发放"), [str(f.paid) for _u, f in columns], stack="paid"))
    data.append(series(_("结余"), [str(f.balance) for _u, f in columns], stack="balance"))
    return chart(
        "money",
        _("各单位筹集与发放（元）"),
        [_own_label(u) if u.pk == root.pk else u.name for u, _f in columns],
        data,
        unit=_("元"),
        links=[link_to("funds-home", campaign=campaign.pk, unit=u.code) for u, _f in columns],
        link=link_to("funds-home", campaign=campaign.pk, unit=root.code),
    )


def payments_by_day(campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> Chart:
    """Money paid per day in ``root``'s subtree and its running total, with the festival (the
    campaign's end) and 春节 marked."""
    today = today or timezone.localdate()
    paid = dict(
        PaymentLine.objects.filter(
            campaign=campaign, cancelled=False, unit__path__startswith=root.path
        )
        .values_list("paid_on")
        .annotate(total=Sum("amount"))
        .order_by("paid_on")
    )
    festival = campaign.spring_festival  # campaigns.festival, computed by lunardate
    ends = [campaign.period_end, *paid] + ([festival] if festival else [])
    last = max(ends)
    first = min([campaign.period_start, *paid])
    first = max(first, last - dt.timedelta(days=DAYS_SHOWN - 1))
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    running, daily, cumulative = Decimal("0.00"), [], []
    for day in days:
        amount = Decimal(paid.get(day) or 0).quantize(CENT)
        running += amount
        daily.append(str(amount))
        cumulative.append(str(running))
    marks = [{"name": _("活动结束"), "at": campaign.period_end.isoformat()}]
    if festival:
        marks.append({"name": _("春节"), "at": festival.isoformat()})
    return chart(
        "payments-daily",
        _("每日发放（元）"),
        [d.isoformat() for d in days],
        [series(_("当日发放"), daily), series(_("累计发放"), cumulative, kind="line")],
        unit=_("元"),
        link=link_to("batch-list", campaign=campaign.pk, unit=root.code),
        marks=marks,
    )


# ---- 不遗漏 ----------------------------------------------------------------------------------


def coverage_by_unit(campaign: Campaign, root: OrgUnit) -> Chart:
    """Households visited or helped ÷ households on file, per child unit's subtree."""
    found = coverage(campaign, root)
    rows = found.children or [found.root]
    return chart(
        "coverage",
        _("各单位走访帮扶覆盖率"),
        [r.unit.name for r in rows],
        [
            series(_("覆盖率"), [_text(r.rate) for r in rows]),
            series(_("在档户数"), [r.on_file for r in rows], kind="table"),
            series(_("已走访或帮扶"), [r.helped for r in rows], kind="table"),
        ],
        unit="%",
        links=[link_to("coverage", campaign=campaign.pk, unit=r.unit.code) for r in rows],
        link=link_to("coverage", campaign=campaign.pk, unit=root.code),
    )


# ---- the figures at the top ---------------------------------------------------------------


def overview(user, campaign: Campaign, root: OrgUnit, today: dt.date | None = None) -> dict:
    """Days left to ``root``'s deadline (the one its pass-down gave it, else the campaign's),
    the festival and 春节; open duplicate flags; open and overdue 12351 cases; hardship files
    whose yearly review is overdue — of ``root``'s subtree."""
    today = today or timezone.localdate()
    deadline = deadline_of(campaign, root)
    festival = campaign.spring_festival  # campaigns.festival, computed by lunardate
    flags = flags_of(user, campaign=campaign, status=FlagStatus.OPEN, root=root).count()
    cases = (
        cases_visible_to(user)
        .filter(unit__path__startswith=root.path)
        .exclude(status=CaseStatus.CLOSED)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
    )
    return {
        "campaign": campaign.pk,
        "unit": root.code,
        "deadline": deadline.isoformat(),
        "days_to_deadline": (deadline - today).days,
        "period_end": campaign.period_end.isoformat(),
        "days_to_period_end": (campaign.period_end - today).days,
        "spring_festival": festival.isoformat() if festival else None,
        "days_to_spring_festival": (festival - today).days if festival else None,
        "open_flags": flags,
        "open_cases": cases["open"],
        "overdue_cases": cases["overdue"],
        "overdue_reviews": overdue_reviews_in(root, today),
    }


CHARTS = {
    "filing-units": filing_by_unit,
    "filing-forms": filing_by_form,
    "money": money_by_unit,
    "payments-daily": payments_by_day,
    "coverage": coverage_by_unit,
}


# ---- the 汇总 page: composition of money raised and paid, this campaign and the previous ------

RAISED = ("05B", "05C", "05D", "05E")  # 附件1: 05A's complete breakdown by source
PAID, PAID_PARTS = "06A", ("06B", "06C")  # 06B and 06C are only "其中" parts of 06A
WAN_ZERO = Decimal("0.0000")


def composition(summary, previous=None) -> Chart | None:
    """The 汇总's money raised by source (05B–05E) and paid (06B, 06C and the rest of 06A), for
    the campaign and the previous one that asked for the same form; None when the form has no
    such blanks."""
    blanks = summary.definition.blanks
    if not all(code in blanks for code in (*RAISED, PAID, *PAID_PARTS)):
        return None
    columns = [summary] + ([previous] if previous is not None else [])

    def value(found, code: str) -> Decimal:
        return Decimal(found.values.get(code) or WAN_ZERO)

    def label(code: str) -> str:
        return str(blanks[code].label).removeprefix("其中")

    data = [
        series(label(code), [str(value(f, code)) for f in columns], stack="raised")
        for code in RAISED
    ]
    data += [
        series(label(code), [str(value(f, code)) for f in columns], stack="paid")
        for code in PAID_PARTS
    ]
    other = [value(f, PAID) - sum((value(f, c) for c in PAID_PARTS), WAN_ZERO) for f in columns]
    data.append(series(_("其他发放"), [str(v) for v in other], stack="paid"))
    args = (summary.campaign.pk, summary.unit.code, summary.campaign_form.code)
    return chart(
        "composition",
        _("筹集与发放构成（万元）"),
        [f.campaign.name for f in columns],
        data,
        unit=_("万元"),
        links=[
            link_to("summary-table", f.campaign.pk, f.unit.code, f.campaign_form.code)
            for f in columns
        ],
        link=link_to("summary-table", *args, status=summary.include),
    )
