"""What the rulebook says about the signed-in user, for the templates' menus and buttons:
``{% if may.manage %}`` instead of comparing role names in a template."""

from __future__ import annotations

from django.http import HttpRequest

from .rules import (
    audits_at_all,
    can_fill,
    can_launch_campaign,
    manages_at_all,
    reviews_at_all,
)


def rules(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    unit = getattr(user, "unit", None) if getattr(user, "unit_id", None) else None
    return {
        "may": {
            "manage": manages_at_all(user),
            "launch_campaign": unit is not None and can_launch_campaign(user, unit),
            "review": reviews_at_all(user),
            "fill": unit is not None and can_fill(user, unit),
            "audit": audits_at_all(user),
        }
    }
