"""Writes to the union tree. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError

from .models import OrgUnit, UnitKind

_ALLOWED_PARENTS = {
    UnitKind.CITY: {None},
    UnitKind.COUNTY: {UnitKind.CITY},
    UnitKind.INDUSTRY: {UnitKind.CITY, UnitKind.COUNTY},
    UnitKind.GRASSROOTS: {UnitKind.CITY, UnitKind.COUNTY, UnitKind.INDUSTRY},
}


def _path_for(parent: OrgUnit | None, code: str) -> str:
    return (parent.path if parent else "/") + code + "/"


def _check_parent(kind: str, parent: OrgUnit | None, code: str) -> None:
    parent_kind = parent.kind if parent else None
    if parent_kind not in _ALLOWED_PARENTS[UnitKind(kind)]:
        wanted = "、".join(str(UnitKind(k).label) for k in _ALLOWED_PARENTS[kind] if k) or "无"
        raise ApplicationError(
            f"单位 {code}：{UnitKind(kind).label}的上级应为{wanted}", code="bad_parent"
        )
    if parent is not None and not parent.active:
        raise ApplicationError(f"单位 {code}：上级单位 {parent.code} 已撤销", code="bad_parent")


@transaction.atomic
def orgunit_create(
    *, code: str, name: str, kind: str, parent: OrgUnit | None, actor=None,
    contact_person: str = "", contact_phone: str = "",
) -> OrgUnit:  # fmt: skip
    code, name = code.strip(), name.strip()
    if kind not in UnitKind.values:
        raise ApplicationError(f"单位 {code}：类别“{kind}”无效", code="bad_kind")
    _check_parent(kind, parent, code)
    if OrgUnit.objects.filter(code=code).exists():
        raise ApplicationError(f"单位代码 {code} 已存在", code="duplicate_code")
    unit = OrgUnit(
        code=code, name=name, kind=kind, parent=parent, path=_path_for(parent, code),
        depth=parent.depth + 1 if parent else 0,
        contact_person=contact_person, contact_phone=contact_phone,
    )  # fmt: skip
    try:
        unit.full_clean()
    except ValidationError as exc:
        raise ApplicationError(f"单位 {code}：{'；'.join(exc.messages)}", code="invalid") from exc
    unit.save()
    audit_record(actor=actor, action="orgunit.create", target=unit, code=code, name=name)
    return unit


@transaction.atomic
def orgunit_move(*, unit: OrgUnit, new_parent: OrgUnit, actor=None) -> OrgUnit:
    if new_parent.is_within(unit):
        raise ApplicationError(f"不能把 {unit.name} 移到它自己的下级单位之下", code="cycle")
    _check_parent(unit.kind, new_parent, unit.code)
    old_path, new_path = unit.path, _path_for(new_parent, unit.code)
    delta = new_parent.depth + 1 - unit.depth
    descendants = list(OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
    for d in descendants:
        d.path = new_path + d.path[len(old_path) :]
        d.depth += delta
    OrgUnit.objects.bulk_update(descendants, ["path", "depth"])
    old_parent = unit.parent.code if unit.parent else None
    unit.parent, unit.path, unit.depth = new_parent, new_path, new_parent.depth + 1
    unit.save(update_fields=["parent", "path", "depth"])
    audit_record(
        actor=actor, action="orgunit.move", target=unit, old=old_parent, new=new_parent.code
    )
    return unit


@transaction.atomic
def orgunit_retire(*, unit: OrgUnit, on: dt.date, actor=None) -> OrgUnit:
    if OrgUnit.objects.filter(parent=unit, active=True).exists():
        raise ApplicationError(
            f"{unit.name} 还有在用的下级单位，请先撤销或移走它们", code="has_children"
        )
    if unit.parent is None:
        raise ApplicationError("不能撤销根单位", code="root")
    unit.active, unit.retired_on = False, on
    unit.save(update_fields=["active", "retired_on"])
    audit_record(actor=actor, action="orgunit.retire", target=unit, on=on.isoformat())
    return unit
