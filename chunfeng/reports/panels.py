"""What the reports app shows on the pages of the apps below it."""

from chunfeng.core.panels import Panel, contribute

from .selectors import report_grid


def campaign_grid(request, *, campaign, forms, **_context) -> Panel:
    """The campaign page's table: each reporting unit the user sees, and its reports."""
    return Panel("reports/_campaign_grid.html", {"grid": report_grid(request.user, campaign)})


def register() -> None:
    contribute("campaign.detail", campaign_grid)
