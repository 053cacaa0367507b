"""What the reports app shows on the pages of the apps below it."""

from chunfeng.core.panels import Panel, contribute

from .selectors import campaign_closed, collects, report_grid


def campaign_grid(request, *, campaign, forms, **_context) -> Panel:
    """The campaign page's table: each reporting unit the user sees, and its reports."""
    return Panel("reports/_campaign_grid.html", {"grid": report_grid(request.user, campaign)})


def own_filings(request, *, campaign, forms, **_context) -> Panel | None:
    """For a unit that collects reports (the owner included): its 本级 filings, its filed
    reports (合计; the owner's final reports) and its 汇总, per form."""
    unit = getattr(request.user, "unit", None)
    if unit is None or not collects(campaign, unit):
        return None
    owner = unit.pk == campaign.owner_id
    context = {"unit": unit, "owner": owner, "closed": owner and campaign_closed(campaign)}
    return Panel("reports/_own_filings.html", context)


def register() -> None:
    contribute("campaign.detail", campaign_grid)
    contribute("campaign.detail", own_filings)
