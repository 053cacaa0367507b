"""The union tree as far as the caller may see it: their own unit and everything below."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import units_with_parents

router = Router(tags=["单位"])


class OrgUnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    active: bool
    depth: int

    @staticmethod
    def resolve_parent(unit: OrgUnit) -> str | None:
        return unit.parent.code if unit.parent_id else None


@router.get("", response=list[OrgUnitOut], summary="可见的单位（本单位及下级单位）")
def orgunit_list(request: HttpRequest):
    return units_with_parents(request.auth)
