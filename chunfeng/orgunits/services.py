"""Writes to the union tree. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from chunfeng.core.actors import SYSTEM
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_manage

from .models import OrgUnit, UnitKind

_ALLOWED_PARENTS: dict[UnitKind, set[str | None]] = {
    UnitKind.PROVINCE: {None},
    UnitKind.CITY: {None, UnitKind.PROVINCE},
    UnitKind.COUNTY: {UnitKind.CITY},
    UnitKind.INDUSTRY: {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY},
    UnitKind.GRASSROOTS: {UnitKind.CITY, UnitKind.COUNTY, UnitKind.INDUSTRY},
}


def _path_for(parent: OrgUnit | None, code: str) -> str:
    return (parent.path if parent else "/") + code + "/"


def _check_parent(kind: str, parent: OrgUnit | None, code: str) -> None:
    parent_kind = parent.kind if parent else None
    if parent_kind not in _ALLOWED_PARENTS[UnitKind(kind)]:
        raise ApplicationError(
            _("单位 %(code)s：%(kind)s的上级应为%(parents)s")
            % {"code": code, "kind": UnitKind(kind).label, "parents": _wanted_parents(kind)},
            code="bad_parent",
        )
    if parent is not None and not parent.active:
        raise ApplicationError(
            _("单位 %(code)s：上级单位 %(parent)s 已撤销") % {"code": code, "parent": parent.code},
            code="bad_parent",
        )


def _require_manager(actor, unit: OrgUnit | None, message: str) -> None:
    if unit is None and actor is not SYSTEM or unit is not None and not can_manage(actor, unit):
        raise NotPermitted(message)


def _require_below(actor, unit: OrgUnit) -> None:
    """Admins adjust the units below their own, never their own unit."""
    _require_manager(actor, unit, f"单位 {unit.code} 不在您的管辖范围内")
    if actor is not SYSTEM and unit.pk == actor.unit_id:
        raise NotPermitted(_("不能调整或撤销本单位"))


@transaction.atomic
def orgunit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    actor=SYSTEM,
    contact_person: str = "",
    contact_phone: str = "",
) -> OrgUnit:
    _require_manager(actor, parent, "只有上级单位的管理员可以新增单位")
    code, name = code.strip(), name.strip()
    if not re.fullmatch(CODE_PATTERN, code):
        raise ApplicationError(
            _("单位代码“%(code)s”只能由字母、数字、- 和 _ 组成") % {"code": code}, code="bad_code"
        )
    if kind not in UnitKind.values:
        raise ApplicationError(
            _("单位 %(code)s：类别“%(kind)s”无效") % {"code": code, "kind": kind}, code="bad_kind"
        )
    _check_parent(kind, parent, code)
    if OrgUnit.objects.filter(code=code).exists():
        raise ApplicationError(
            _("单位代码 %(code)s 已存在") % {"code": code}, code="duplicate_code"
        )
    unit = OrgUnit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        path=_path_for(parent, code),
        depth=parent.depth + 1 if parent else 0,
        contact_person=contact_person,
        contact_phone=contact_phone,
    )
    try:
        unit.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            _("单位 %(code)s：%(items)s") % {"code": code, "items": "；".join(exc.messages)},
            code="invalid",
        ) from exc
    unit.save()
    audit_record(actor=actor, action="orgunit.create", target=unit, code=code, name=name)
    return unit


@transaction.atomic
def orgunit_move(*, unit: OrgUnit, new_parent: OrgUnit, actor=SYSTEM) -> OrgUnit:
    _require_below(actor, unit)
    _require_manager(actor, new_parent, f"单位 {new_parent.code} 不在您的管辖范围内")
    if new_parent.is_within(unit):
        raise ApplicationError(
            _("不能把 %(unit)s 移到它自己的下级单位之下") % {"unit": unit.name}, code="cycle"
        )
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
def orgunit_retire(*, unit: OrgUnit, on: dt.date, actor=SYSTEM) -> OrgUnit:
    _require_below(actor, unit)
    if OrgUnit.objects.filter(parent=unit, active=True).exists():
        raise ApplicationError(
            _("%(unit)s 还有在用的下级单位，请先撤销或移走它们") % {"unit": unit.name},
            code="has_children",
        )
    if unit.parent is None:
        raise ApplicationError(_("不能撤销根单位"), code="root")
    unit.active, unit.retired_on = False, on
    unit.save(update_fields=["active", "retired_on"])
    audit_record(actor=actor, action="orgunit.retire", target=unit, on=on.isoformat())
    return unit


# --- import of a unit list ----------------------------------------------------------------

IMPORT_COLUMNS = ("代码", "名称", "类别", "上级代码", "联系人", "联系电话")
REQUIRED_COLUMNS = IMPORT_COLUMNS[:4]
CODE_PATTERN = r"^[0-9A-Za-z_-]+$"
_MAX_LENGTH = {"代码": 32, "名称": 128, "上级代码": 32, "联系人": 64, "联系电话": 32}


@dataclass
class _ImportRow:
    number: int
    values: dict[str, str]
    kind: str | None = None

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


class _Problems(list):
    def add(self, row: _ImportRow, column: str, message: str) -> None:
        self.append(
            (row.number, IMPORT_COLUMNS.index(column), f"第 {row.number} 行 {column}：{message}")
        )

    def messages(self) -> list[str]:
        return [text for *_key, text in sorted(self)]


def kind_from_text(text: str) -> str | None:
    """``基层工会`` or ``grassroots`` → ``grassroots``; None when neither."""
    with translation.override(None):  # the labels' source strings are the Chinese names
        names = {str(label): value for value, label in UnitKind.choices}
    return names.get(text) or (text if text in UnitKind.values else None)


def _wanted_parents(kind: str) -> str:
    allowed = _ALLOWED_PARENTS[UnitKind(kind)]
    return "、".join(str(k.label) for k in UnitKind if k in allowed) or "无"


@transaction.atomic
def orgunit_import(*, rows, actor) -> list[OrgUnit]:
    """Create the units of an imported list, all or nothing. ``rows`` are ``(row number,
    {column: text})`` with the column names of IMPORT_COLUMNS (blank rows are skipped). Every problem is collected first and raised together, each
    naming its row and column; parents are existing units the actor manages or earlier rows."""
    if actor is not SYSTEM and not (actor.unit_id and can_manage(actor, actor.unit)):
        raise NotPermitted(_("只有管理员可以导入单位"))
    parsed = _import_rows(rows)
    if not parsed:
        raise ApplicationError(_("文件中没有单位数据"), code="import_empty")
    existing = _existing_units(parsed)
    problems = _Problems()
    for row in parsed:
        _check_fields(row, problems)
    _check_codes(parsed, existing, problems)
    _check_parents(parsed, existing, actor, problems)
    if problems:
        raise ApplicationError(
            _("导入失败：共发现 %(count)s 处问题，没有导入任何单位。") % {"count": len(problems)},
            code="import_invalid",
            details=problems.messages(),
        )
    return _import_create(parsed, existing, actor)


def _import_rows(rows) -> list[_ImportRow]:
    parsed = []
    for number, raw in rows:
        values = {c: str(raw.get(c) or "").strip() for c in IMPORT_COLUMNS}
        if any(values.values()):
            parsed.append(_ImportRow(number, values, kind_from_text(values["类别"])))
    return parsed


def _existing_units(parsed: list[_ImportRow]) -> dict[str, OrgUnit]:
    codes = {row[c] for row in parsed for c in ("代码", "上级代码") if row[c]}
    return {u.code: u for u in OrgUnit.objects.select_for_update().filter(code__in=codes)}


def _check_fields(row: _ImportRow, problems: _Problems) -> None:
    for column in REQUIRED_COLUMNS:
        if not row[column]:
            problems.add(row, column, "不能为空")
    for column, limit in _MAX_LENGTH.items():
        if len(row[column]) > limit:
            problems.add(row, column, f"不能超过 {limit} 个字符")
    if row["代码"] and not re.fullmatch(CODE_PATTERN, row["代码"]):
        problems.add(row, "代码", f"“{row['代码']}”只能由字母、数字、- 和 _ 组成")
    if row["类别"] and row.kind is None:
        problems.add(row, "类别", f"“{row['类别']}”无效，应为 {'、'.join(_kind_names())}")


def _kind_names() -> list[str]:
    with translation.override(None):
        return [str(label) for label in UnitKind.labels]


def _check_codes(parsed, existing: dict[str, OrgUnit], problems: _Problems) -> None:
    seen: dict[str, int] = {}
    for row in parsed:
        code = row["代码"]
        if code in seen:
            problems.add(row, "代码", f"与第 {seen[code]} 行重复")
        elif code in existing:
            problems.add(row, "代码", f"单位代码 {code} 已存在")
        elif code:
            seen[code] = row.number


def _check_parents(parsed, existing: dict[str, OrgUnit], actor, problems: _Problems) -> None:
    later = {row["代码"]: row.number for row in reversed(parsed)}
    earlier: dict[str, _ImportRow] = {}
    for row in parsed:
        message = _parent_problem(row, earlier, later, existing, actor)
        if message:
            problems.add(row, "上级代码", message)
        earlier.setdefault(row["代码"], row)


def _parent_problem(row, earlier, later, existing, actor) -> str | None:
    code = row["上级代码"]
    if not code:
        return None
    if code == row["代码"]:
        return "不能以本单位作为上级"
    if code in earlier:
        return _kind_problem(row.kind, earlier[code].kind, code)
    if code in existing:
        return _existing_parent_problem(row, existing[code], actor)
    if code in later:
        return f"单位 {code} 在第 {later[code]} 行，上级单位须排在本行之前"
    return f"单位 {code} 不存在"


def _existing_parent_problem(row, parent: OrgUnit, actor) -> str | None:
    if not can_manage(actor, parent):
        return f"单位 {parent.code} 不在您的管辖范围内"
    if not parent.active:
        return f"上级单位 {parent.code} 已撤销"
    return _kind_problem(row.kind, parent.kind, parent.code)


def _kind_problem(kind: str | None, parent_kind: str | None, parent_code: str) -> str | None:
    if kind is None or parent_kind is None or parent_kind in _ALLOWED_PARENTS[UnitKind(kind)]:
        return None
    return (
        f"{UnitKind(kind).label}的上级应为{_wanted_parents(kind)}，"
        f"而单位 {parent_code} 是{UnitKind(parent_kind).label}"
    )


def _import_create(parsed, existing: dict[str, OrgUnit], actor) -> list[OrgUnit]:
    created: dict[str, OrgUnit] = {}
    for row in parsed:
        parent = created.get(row["上级代码"]) or existing[row["上级代码"]]
        try:
            created[row["代码"]] = orgunit_create(
                code=row["代码"],
                name=row["名称"],
                kind=row.kind,
                parent=parent,
                actor=actor,
                contact_person=row["联系人"],
                contact_phone=row["联系电话"],
            )
        except ApplicationError as exc:
            raise ApplicationError(
                _("第 %(number)s 行：%(message)s") % {"number": row.number, "message": exc.message},
                code=exc.code,
                details=[exc.message],
            ) from exc
    return list(created.values())
