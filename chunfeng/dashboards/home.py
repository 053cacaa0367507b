"""What the home page shows, by where the user sits: a unit with units below it (city,
district) sees its campaign's dashboard, a grassroots unit what to do next; everyone their
to-do. Composes the selectors; no query of its own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chunfeng.applications.selectors import overdue_reviews_in
from chunfeng.core import rules
from chunfeng.funds.coverage import coverage
from chunfeng.funds.models import FlagStatus
from chunfeng.funds.selectors import flags_of
from chunfeng.orgunits.selectors import unit_trail, units_collecting_below
from chunfeng.reports.completeness import FILED, completeness

from . import selectors as s

CHART_CARDS = (  # name, CSS class of the drawing, heading of the table's first column
    ("filing-units", "chart tall", _("单位")),
    ("filing-forms", "chart", _("表单")),
    ("money", "chart tall", _("单位")),
    ("payments-daily", "chart", _("日期")),
    ("coverage", "chart tall", _("单位")),
)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def progress_class(percent: int) -> str:
    """The width class (0, 10 … 100) of a progress bar: no inline style under the CSP."""
    return f"progress-w-{min(100, max(0, round(percent / 10) * 10))}"


def _forms_of(campaign, unit, todo: list[dict], user) -> list[dict]:
    """The forms ``unit`` owes in ``campaign``: the user's to-do for the user's own unit, the
    expected reports of the unit otherwise (a grassroots union picked from above)."""
    if unit.pk == user.unit_id:
        return [row for row in todo if row["campaign"].pk == campaign.pk]
    return [
        {"campaign": campaign, "form": row.form, "report": row.report, "deadline": row.deadline}
        for row in completeness(campaign, unit)
        if row.unit.pk == unit.pk
    ]


def next_steps(user, campaign, todo: list[dict], unit=None) -> dict[str, Any]:
    """A grassroots unit's work in ``campaign`` (the user's own, or ``unit`` picked from
    above): forms still to file, households on file not yet visited or helped, duplicate flags
    waiting for an answer."""
    unit = unit or user.unit
    forms = _forms_of(campaign, unit, todo, user)
    filed = [row for row in forms if row["report"] is not None and row["report"].status in FILED]
    reached = coverage(campaign, unit).root
    flags = flags_of(user, campaign=campaign, status=FlagStatus.OPEN, root=unit).count()
    forms_done = _percent(len(filed), len(forms))
    reached_done = _percent(reached.helped, reached.on_file)
    return {
        "forms_open": [row for row in forms if row not in filed],
        "forms_total": len(forms),
        "forms_filed": len(filed),
        "forms_percent": forms_done,
        "forms_bar": progress_class(forms_done),
        "on_file": reached.on_file,
        "helped": reached.helped,
        "missing": reached.missing,
        "reached_percent": reached_done,
        "reached_bar": progress_class(reached_done),
        "open_flags": flags,
        "overdue_reviews": overdue_reviews_in(unit),
        "reviews_url": s.link_to("file-reviews"),
        "coverage_url": s.link_to("coverage", campaign=campaign.pk, unit=unit.code),
        "flags_url": s.link_to("duplicate-list", campaign=campaign.pk),
    }


def home_context(user, campaign_id, todo: list[dict], unit_code: str | None = None) -> dict:
    """``unit_code`` picks a unit of the user's subtree whose dashboard is shown (404 outside
    it); the user's own unit by default."""
    if user.unit_id is None:
        return {}
    campaign = s.dashboard_campaign(user, campaign_id)
    root = s.dashboard_root(user, unit_code)
    picked = root.pk != user.unit_id
    context: dict[str, Any] = {
        "campaign": campaign,
        "campaigns": list(s.dashboard_campaigns(user)[:20]),
        "audits": rules.audits_at_all(user),
        "manages": rules.manages_at_all(user),
        "root": root,
        "picked": picked,
    }
    if campaign is None:
        return context
    context["overview"] = s.overview(user, campaign, root)
    if not s.has_children(root):
        context["next"] = next_steps(user, campaign, todo, root)
        if picked:
            context["trail"] = unit_trail(user, root)
        return context
    context["trail"] = unit_trail(user, root) if picked else [root]
    context["unit_choices"] = units_collecting_below(root)
    query = f"?{urlencode({'unit': root.code})}" if picked else ""
    charts = []
    for name, css, head in CHART_CARDS:
        found = s.CHARTS[name](campaign, root)
        charts.append(
            {
                "name": name,
                "css": css,
                "head": head,
                "src": reverse("dashboard-chart", args=[campaign.pk, name]) + query,
                "chart": found,
                "rows": s.table_rows(found),
                "table_series": [x["name"] for x in found["series"]],
            }
        )
    context["charts"] = charts
    context["grid"] = s.filing_grid(campaign, root)
    return context
