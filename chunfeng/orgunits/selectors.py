from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import OrgUnit


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
        raise Http404(f"没有代码为 {code} 的单位，或不在您的管辖范围内") from None


def units_below(user, codes) -> dict[str, OrgUnit]:
    """Those of ``codes`` that are units strictly below the user's own, by code."""
    found = units_visible_to(user).filter(code__in=list(codes)).exclude(pk=user.unit_id)
    return {u.code: u for u in found}
