"""Import a filled template into a report: the same type and logic checks as the entry page,
in one pass, every problem named by cell address and blank code.

What is saved: a file whose every cell can be read is saved as a draft, whatever its automatic
checks say (their errors and warnings are answered with it, to be dealt with before 报送, as on
the entry page). A file with a cell that cannot be read (text or a decimal in a count, a
negative figure, a formula …) saves nothing: ``UnreadableCells`` lists each such cell and
carries what the checks would say of the readable values, so that one upload shows everything
to correct."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.utils.cell import coordinate_to_tuple

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_fill
from chunfeng.formdefs.checks import Outcome
from chunfeng.formdefs.values import parse_values
from chunfeng.reports.selectors import ReportSlot, report_checks
from chunfeng.reports.services import report_save

from .layout import COLUMNS, MAGIC
from .reader import Sheet, cell_in_ranges, read_upload


@dataclass(frozen=True)
class ImportResult:
    report: object
    outcome: Outcome
    cells: dict[str, str]  # blank code → cell address, to point at the cells of each check


class UnreadableCells(ApplicationError):
    """A file with cells that cannot be read: nothing is saved. ``details`` name each cell
    (``cell``, ``field``, ``message``); ``outcome`` is what the checks say of the readable
    values, which were not saved either; ``cells`` maps each blank code to its cell."""

    def __init__(self, message: str, *, code: str, details: list, outcome: Outcome, cells):
        super().__init__(message, code=code, details=details)
        self.outcome = outcome
        self.cells = cells


def cells_of(result, cells: dict[str, str]) -> list[str]:
    """The cells of a check's blanks (a check spanning forms also names another form's)."""
    return [cells[code] for code in result.fields if code in cells]


def _refuse(message: str, code: str, details=None):
    raise ApplicationError(message, code=code, details=details or [])


def _check_identity(sheet: Sheet, slot: ReportSlot) -> None:
    m, definition = sheet.mapping, slot.definition
    if m.get("magic") != MAGIC:
        _refuse("这不是从本系统下载的报表模板，无法导入。", "not_template")
    if m.get("kind") == "summary":
        _refuse("这是汇总表的导出文件，不是填报模板，不能作为本单位报表导入。", "summary_file")
    if (m.get("filing") or "filed") != slot.kind:
        _refuse(
            "这是本级数字的模板，不能导入到合计报表；请在本级填报页面上传。"
            if m.get("filing") == "own"
            else "这是合计报表的模板，不能导入到本级数字；请下载本级数字的模板。",
            "wrong_filing",
        )
    if m.get("form") != definition.code:
        _refuse(
            f"这个模板是表单 {m.get('form')} 的，不是“{definition.title}”（{definition.code}）"
            "的模板。请下载本表的模板。",
            "wrong_form",
        )
    if str(m.get("version")) != str(definition.version):
        _refuse(
            f"这个模板是表单 {definition.code} 第 {m.get('version')} 版的，本活动使用第 "
            f"{definition.version} 版，填报项可能已变化。请重新下载模板。",
            "old_version",
        )
    if str(m.get("campaign")) != str(slot.campaign.pk):
        _refuse(
            f"这个模板属于另一个活动（{m.get('campaign_name')}），不是“{slot.campaign.name}”。",
            "wrong_campaign",
        )
    if str(m.get("unit")) != slot.unit.code:
        _refuse(
            f"这个模板是为 {m.get('unit_name')}（{m.get('unit')}）下载的，不能导入到 "
            f"{slot.unit.name}（{slot.unit.code}）。",
            "wrong_unit",
        )


def _cells(sheet: Sheet, definition) -> dict[str, str]:
    """Blank code → cell, after making sure no row was inserted, deleted, moved or merged."""
    cells, problems = {}, []
    for code, blank in definition.blanks.items():
        address = sheet.mapping.get(f"blank:{code}")
        if not address:
            _refuse(
                f"模板的对照表缺少填报项 {code}，模板与表单版本不符，请重新下载模板。",
                "old_version",
            )
        row, _col = coordinate_to_tuple(str(address))
        marker = str(sheet.values.get(f"{COLUMNS['code']}{row}", "")).strip()
        if marker != code:
            problems.append(
                {
                    "cell": address,
                    "field": code,
                    "message": f"第 {row} 行应是 {code}（{blank.label}），却是“{marker or '空'}”：模板的行被插入、"
                    "删除或移动过",
                }
            )
        elif rng := cell_in_ranges(str(address), sheet.merged):
            problems.append(
                {
                    "cell": address,
                    "field": code,
                    "message": f"{address}（{code}）被合并到单元格区域 {rng} 中",
                }
            )
        cells[code] = str(address)
    if problems:
        _refuse(
            "模板的结构被改动过，无法可靠地读取数值（请不要插入、删除、合并行或单元格）："
            + "；".join(f"{p['cell']} {p['message']}" for p in problems[:5]),
            "structure_changed",
            problems,
        )
    return cells


def _raw(value):
    if value is None or isinstance(value, bool | str | int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return f"{value}（日期）"
    return str(value)


def _read_values(sheet: Sheet, definition, cells: dict[str, str]) -> tuple[dict, list[dict]]:
    """Each blank's cell as read, and the cells holding a formula instead of a value (they
    cannot be read: what a formula shows depends on the program that last computed it)."""
    formulas = [
        {
            "cell": cell,
            "field": code,
            "message": f"{cell}（{code} {definition.blanks[code].label}）是公式，请只填数值"
            "（可在 Excel 中“选择性粘贴→数值”）",
        }
        for code, cell in cells.items()
        if cell in sheet.formulas
    ]
    values = {
        code: _raw(sheet.values.get(cell))
        for code, cell in cells.items()
        if cell not in sheet.formulas
    }
    return values, formulas


def _header(sheet: Sheet) -> dict:
    header = {}
    for key in ("filler_name", "filler_phone", "fill_date"):
        value = sheet.values.get(str(sheet.mapping.get(f"header:{key}")))
        if isinstance(value, dt.datetime | dt.date):
            value = value.strftime("%Y-%m-%d")
        header[key] = "" if value is None else str(value).strip()
    return header


def require_importer(slot: ReportSlot, actor) -> None:
    """Who may import a template into the report: asked before its upload is received."""
    if not can_fill(actor, slot.unit):
        raise NotPermitted(_("只有%(unit)s的填报员可以填写本单位的报表") % {"unit": slot.unit.name})


def report_import(*, slot: ReportSlot, data: bytes, name: str, actor) -> ImportResult:
    """Read a filled template into the report's draft (all or nothing). Who may save is asked
    before the file is read."""
    require_importer(slot, actor)
    sheet = read_upload(data, name)
    _check_identity(sheet, slot)
    definition = slot.definition
    cells = _cells(sheet, definition)
    values, formulas = _read_values(sheet, definition, cells)
    parsed, errors = parse_values(definition, values)
    if formulas or errors:
        bad = [{"cell": cells[e.code], **e.as_dict()} for e in errors]
        _refuse_unreadable(slot, cells, formulas + bad, parsed, only_formulas=not errors)
    report, outcome = report_save(
        slot=slot, actor=actor, values=values, header=_header(sheet), via="import"
    )
    return ImportResult(report=report, outcome=outcome, cells=cells)


def _refuse_unreadable(
    slot: ReportSlot, cells: dict[str, str], unreadable: list, parsed: dict, *, only_formulas
):
    """Nothing is saved; the answer lists every unreadable cell (in the sheet's order) and what
    the checks say of the values that could be read."""
    order = list(cells)
    unreadable.sort(key=lambda d: order.index(d["field"]))
    readable = {
        code: value
        for code, value in parsed.items()
        if value is not None and code not in {d["field"] for d in unreadable}
    }
    outcome = report_checks(
        slot.definition, readable, campaign_id=slot.campaign.pk, unit=slot.unit, own=slot.own
    )
    raise UnreadableCells(
        f"文件中有无法读取的单元格，未保存任何数据（共 {len(unreadable)} 个）："
        + "；".join(f"{d['cell']} {d['message']}" for d in unreadable),
        code="formulas" if only_formulas else "bad_values",
        details=unreadable,
        outcome=outcome,
        cells=cells,
    )
