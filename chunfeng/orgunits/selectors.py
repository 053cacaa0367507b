from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import OrgUnit, UnitKind


def subtree(unit: OrgUnit, *, include_self: bool = True) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def units_visible_to(user) -> QuerySet[OrgUnit]:
    """The one choke point for unit-scoped reads: a user sees their own unit's subtree."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return OrgUnit.objects.none()
    return subtree(user.unit)


def unit_for(user, code: str) -> OrgUnit:
    """A unit by code, or 404 when it does not exist or lies outside the user's subtree."""
    try:
        return units_visible_to(user).get(code=code)
    except OrgUnit.DoesNotExist:
        raise Http404(
            _("没有代码为 %(code)s 的单位，或不在您的管辖范围内") % {"code": code}
        ) from None


def units_below(user, codes) -> dict[str, OrgUnit]:
    """Those of ``codes`` that are units strictly below the user's own, by code."""
    found = units_visible_to(user).filter(code__in=list(codes)).exclude(pk=user.unit_id)
    return {u.code: u for u in found}


def active_units_visible_to(user) -> QuerySet[OrgUnit]:
    return units_visible_to(user).filter(active=True)


def units_with_parents(user) -> QuerySet[OrgUnit]:
    return units_visible_to(user).select_related("parent")


def admin_unit_choices(user) -> dict[str, QuerySet[OrgUnit]]:
    """The units an admin's forms offer: ``parents`` (active units that may have children)
    and ``below`` (active units below the admin's own)."""
    active = active_units_visible_to(user)
    return {
        "parents": active.exclude(kind=UnitKind.GRASSROOTS),
        "below": active.exclude(pk=user.unit_id),
    }


def unit_trail(user, root: OrgUnit) -> list[OrgUnit]:
    """The units from the user's own down to ``root`` (a breadcrumb, e.g. of a dashboard picked
    below): one query however deep."""
    codes = root.path.strip("/").split("/")[user.unit.depth :]
    found = {u.code: u for u in OrgUnit.objects.filter(code__in=codes).only("code", "name", "path")}
    return [found[c] for c in codes if c in found]


def units_collecting_below(root: OrgUnit) -> list[OrgUnit]:
    """``root``'s active child units that have units below them (the dashboards one step down;
    a grassroots union's work is its own home's). One query however many units."""
    below = OrgUnit.objects.filter(parent=OuterRef("pk"))
    return list(
        OrgUnit.objects.filter(parent=root, active=True)
        .filter(Exists(below))
        .only("code", "name", "path")
        .order_by("path")
    )
