"""What the dashboards show on the pages of the apps below: on the 汇总 page, the chart of the
composition of money raised and paid, this campaign beside the previous one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from chunfeng.core.panels import Panel, contribute
from chunfeng.rollups.selectors import previous_summary

from .selectors import composition, table_rows


def composition_panel(request, *, summary, **_context) -> Panel | None:
    found = composition(summary, previous_summary(summary))
    if found is None:
        return None
    args = [summary.campaign.pk, summary.unit.code, summary.campaign_form.code]
    src = reverse("dashboard-composition", args=args) + f"?status={summary.include}"
    card = {
        "name": "composition",
        "css": "chart",
        "head": _("活动"),
        "src": src,
        "chart": found,
        "rows": table_rows(found),
        "table_series": [s["name"] for s in found["series"]],
    }
    return Panel("dashboards/_composition.html", {"c": card})


def register() -> None:
    contribute("summary.records", composition_panel, order=90)
