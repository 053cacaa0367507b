"""Households from an existing list, at the importer's choice: filed at once (建档, the file's
source marked as the imported list) or entered as applications (source 名单导入) that go through
the steps. Either way each row's category is checked against the standard of its region: a row
whose income and causes do not support its category, and that gives no 类别说明, is named with
the reason. All or nothing: any problem, and nothing is saved.

The columns are the register's list (``register.listfile.CONTRACT``) and, where present,
致困原因 (labels separated by 、), 家庭住址, 所在区代码 and 类别说明; as applications, 家庭住址
and 致困原因 are required."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_handle_application
from chunfeng.core.tables import Bounds, Table, cell_problem
from chunfeng.register.listfile import CONTRACT, FIELD
from chunfeng.register.models import CAUSES
from chunfeng.register.services import household_create

from .filing import file_state_open
from .models import FileSource, Source
from .services import application_create
from .standards import cause_labels, check_choice, standard_for

BOUNDS = Bounds(rows=5_000, columns=64)
MODES = {"filed": "直接建档（标明来源）", "applications": "作为建档申请，逐户办理"}
EXTRA = {
    "致困原因": "causes",
    "家庭住址": "address",
    "所在区代码": "region_code",
    "类别说明": "explanation",
}
COLUMN_OF = {v: k for k, v in {**FIELD, **EXTRA}.items()} | {
    "main_cause": "致困原因",
    "other_causes": "致困原因",
    "per_capita": "家庭月人均收入",
    "members": "家庭人口",
}
YES = {"是", "Y", "YES", "1", "√", "TRUE"}


def _rows(upload) -> list[tuple[int, dict]]:
    table = Table(upload.read(), upload.name or "", bounds=BOUNDS)
    header = table.header()
    names = [re.sub(r"[（(].*$", "", str(c or "")).strip() for c in header.columns]
    missing = [c for c in ("姓名", "身份证号码", "困难类别") if c not in names]
    if missing:
        raise ApplicationError(
            _("文件缺少必需的列"),
            code="missing_columns",
            details=[cell_problem(header.row, c, "缺少这一列") for c in missing],
        )
    columns: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in (*CONTRACT, *EXTRA, "银行卡号"):
            columns.setdefault(name, i)
    return list(table.records(columns, keep_numbers=frozenset({"身份证号码"})))


def _causes(text: str, labels: dict[str, str]) -> list[str]:
    codes = {label: code for code, label in labels.items()}
    return [codes.get(p.strip(), p.strip()) for p in re.split(r"[、,，;；/ ]+", text) if p.strip()]


def _number(raw, default: str) -> Decimal:
    try:
        return Decimal(str(raw or default).strip())
    except InvalidOperation:
        return Decimal(default)


def _filed(unit, row: dict, actor, labels, on, note: str):
    data = {FIELD[k]: v for k, v in row.items() if k in FIELD}
    for flag in ("is_migrant", "is_model_worker", "is_laid_off"):
        if flag in data:
            data[flag] = str(data[flag]).strip().upper() in YES
    causes = _causes(str(row.get("致困原因", "")), labels)
    data["causes"] = [c if c in CAUSES else "other" for c in causes]
    region = str(row.get("所在区代码") or unit.code[:6])
    income = _number(row.get("家庭月人均收入"), "0").quantize(Decimal("0.01"))
    check_choice(
        standard_for(region, on),
        income,
        set(causes),
        str(row.get("困难类别", "")).strip().upper(),
        str(row.get("类别说明", "")),
    )
    household = household_create(unit=unit, data=data, actor=actor)
    file_state_open(household=household, on=on, source=FileSource.IMPORT, note=note)


def _application(unit, row: dict, actor, labels, on, note: str):
    causes = _causes(str(row.get("致困原因", "")), labels)
    size = int(_number(row.get("家庭人口"), "1"))
    income = _number(row.get("家庭月人均收入"), "0") * max(size, 1)
    data = {
        "name": row.get("姓名"),
        "id_number": row.get("身份证号码"),
        "phone": row.get("联系电话", ""),
        "employer": row.get("工作单位", ""),
        "region_code": str(row.get("所在区代码") or unit.code[:6]),
        "address": row.get("家庭住址", ""),
        "main_cause": causes[0] if causes else "",
        "other_causes": causes[1:],
        "category": str(row.get("困难类别", "")).strip().upper(),
        "explanation": row.get("类别说明", ""),
        "is_migrant": str(row.get("是否农民工", "")).strip().upper() in YES,
        "is_model_worker": str(row.get("是否劳模", "")).strip().upper() in YES,
        "bank_account": row.get("银行卡号", ""),
        "family_size": size,
        "income_items": [{"item": "家庭月收入（名单）", "amount": str(income)}],
    }
    application_create(unit=unit, data=data, actor=actor, source=Source.IMPORT, on=on)


@transaction.atomic
def households_import(*, unit, upload, mode: str, actor) -> int:
    """Import the list into ``unit`` as ``mode`` (filed / applications): the number of rows."""
    if not can_handle_application(actor, unit):
        raise NotPermitted(_("您不能为%(unit)s导入困难职工名单") % {"unit": unit.name})
    if mode not in MODES:
        raise ApplicationError(_("请选择导入方式"), code="invalid", details=[{"field": "mode"}])
    rows, labels, on = _rows(upload), cause_labels(), timezone.localdate()
    note = f"{upload.name or '名单'}（{on:%Y-%m-%d} 导入）"
    take = _filed if mode == "filed" else _application
    problems = []
    for number, row in rows:
        try:
            with transaction.atomic():
                take(unit, row, actor, labels, on, note)
        except NotPermitted:
            raise
        except ApplicationError as exc:
            for d in exc.details or [{"message": exc.message}]:
                column = COLUMN_OF.get(d.get("field", ""), d.get("field", "") or "")
                problems.append(cell_problem(number, column, d.get("message", exc.message)))
    if problems:
        raise ApplicationError(
            _("名单中有 %(count)s 处问题，没有导入任何一户") % {"count": len(problems)},
            code="import_rows",
            details=problems,
        )
    if not rows:
        raise ApplicationError(_("名单中没有数据行"), code="import_empty")
    return len(rows)
