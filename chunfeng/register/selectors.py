from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .idnumbers import mask
from .models import Household
from .services import can_see_full_ids, id_access_log


def households_visible_to(user) -> QuerySet[Household]:
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Household.objects.none()
    return Household.objects.filter(unit__path__startswith=user.unit.path).select_related("unit")


def household_for(user, pk: int) -> Household:
    try:
        return households_visible_to(user).get(pk=pk)
    except Household.DoesNotExist:
        raise Http404("没有这份档案，或不在您的管辖范围内") from None


def shown_id(user, household: Household, *, reveal: bool = False, purpose: str = "view") -> str:
    """The ID number as this user may see it. A full view is logged with ``purpose``."""
    if reveal and can_see_full_ids(user, household.unit):
        id_access_log(user=user, household=household, purpose=purpose)
        return household.id_number
    return mask(household.id_number)
