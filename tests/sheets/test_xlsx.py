"""The xlsx template and round trip: every blank's cell, type and protection read back with
independent readers; fill → import gives the same values for every blank of both forms; each
kind of bad file gets its own message and nothing is saved."""

import io
import random
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from chunfeng.core.errors import ApplicationError
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import ReportValue
from chunfeng.reports.selectors import report_slot_for, report_values
from chunfeng.sheets.exports import report_xlsx
from chunfeng.sheets.importer import report_import
from tests.fixtures import file_report

from .helpers import cell_map, fill, set_map

EXPECTED_VALIDATION = {"count": "whole", "wan": "decimal", "yuan": "decimal", "yesno": "list"}


def slot_of(fed, unit="210202", form="F1", who=("zs", "filler")):
    return report_slot_for(fed.user(*who), fed.campaign.pk, unit, form)


def template(fed, unit="210202", form="F1") -> bytes:
    who = ("xg", "filler") if unit == "210203" else ("zs", "filler")
    return report_xlsx(slot_of(fed, unit, form, who), "template")


def random_cells(definition, rng):
    values = {}
    for code, blank in definition.blanks.items():
        if blank.type == "count":
            values[code] = rng.randint(0, 10**6)
        elif blank.type == "wan":
            values[code] = float(f"{rng.randint(0, 99999)}.{rng.randint(0, 9999):04d}")
        elif blank.type == "yuan":
            values[code] = float(f"{rng.randint(0, 10**7)}.{rng.randint(0, 99):02d}")
        else:
            values[code] = rng.choice(["是", "否"])
    return values


def expected(definition, cells: dict) -> dict:
    out = {}
    for code, v in cells.items():
        blank = definition.blanks[code]
        if blank.type == "yesno":
            out[code] = v == "是"
        elif blank.type == "count":
            out[code] = v
        else:
            out[code] = Decimal(repr(v)).quantize(
                Decimal("0.0001" if blank.type == "wan" else "0.01")
            )
    return out


@pytest.mark.parametrize("form", ["F1", "F2"])
def test_template_cells_types_and_protection(fed, form):
    definition = latest_builtin(form)
    data = template(fed, form=form)
    cells = cell_map(data)
    assert set(cells) == set(definition.blanks)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws.protection.sheet and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert wb["_chunfeng"].sheet_state == "veryHidden"
    validations = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            validations[rng.coord] = dv.type
    for code, address in cells.items():
        row = int(address[1:])
        assert ws[f"F{row}"].value == code and ws[f"E{row}"].value == definition.blanks[code].unit
        assert ws[address].protection.locked is False, code
        assert validations[address] == EXPECTED_VALIDATION[definition.blanks[code].type], code
    assert ws["C9"].protection.locked is not False  # wording is protected
    assert definition.title in ws["A2"].value
    # an independent reader sees the same layout, hidden map included
    cal = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert "_chunfeng" in cal.sheet_names
    rows = cal.get_sheet_by_name(cal.sheet_names[0]).to_python(skip_empty_area=False)
    first = next(iter(cells.items()))
    assert rows[int(first[1][1:]) - 1][5] == first[0]


@pytest.mark.parametrize("form", ["F1", "F2"])
@pytest.mark.parametrize("seed", [7, 8])
def test_fill_and_import_gives_back_every_blank(fed, form, seed):
    definition = latest_builtin(form)
    cells = random_cells(definition, random.Random(seed))
    data = fill(template(fed, form=form), cells)
    slot = slot_of(fed, form=form)
    result = report_import(slot=slot, data=data, name="t.xlsx", actor=fed.user("zs", "filler"))
    assert report_values(result.report, definition) == expected(definition, cells)
    # and the export of that report is itself a valid filled template
    exported = report_xlsx(slot_of(fed, form=form))
    ReportValue.objects.all().delete()
    again = report_import(
        slot=slot_of(fed, form=form), data=exported, name="e.xlsx", actor=fed.user("zs", "filler")
    )
    assert report_values(again.report, definition) == expected(definition, cells)


def test_header_fields_round_trip(fed):
    def edit(wb, ws, cells):
        ws["C4"], ws["C5"], ws["C6"] = "王芳", "82610422", "2012-01-05"

    data = fill(template(fed), {}, edit=edit)
    result = report_import(
        slot=slot_of(fed), data=data, name="t.xlsx", actor=fed.user("zs", "filler")
    )
    assert result.report.filler_name == "王芳" and str(result.report.fill_date) == "2012-01-05"


def refused(fed, data, code, *, unit="210202", form="F1", who=("zs", "filler")):
    file_report(fed, fed.zs, submit=False, values={"01A": 77})
    before = dict(ReportValue.objects.values_list("code", "value"))
    with pytest.raises(ApplicationError) as exc:
        report_import(
            slot=slot_of(fed, unit, form), data=data, name="bad.xlsx", actor=fed.user(*who)
        )
    assert exc.value.code == code, exc.value.message
    assert dict(ReportValue.objects.values_list("code", "value")) == before  # nothing saved
    return exc.value


def test_two_wrong_cells_named_by_address(fed):
    cells = cell_map(template(fed))
    error = refused(fed, fill(template(fed), {"01A": "很多", "05A": -3}), "bad_values")
    flagged = {d["cell"]: d["field"] for d in error.details}
    assert flagged == {cells["01A"]: "01A", cells["05A"]: "05A"}
    assert cells["01A"] in error.message and "05A" in error.message


def test_other_unit(fed):
    error = refused(fed, template(fed, unit="210203"), "wrong_unit")
    assert "西岗区总工会" in error.message


def test_other_form(fed):
    refused(fed, template(fed, form="F2"), "wrong_form")


def test_old_form_version(fed):
    refused(fed, set_map(template(fed), "version", 0), "old_version")


def test_other_campaign(fed):
    refused(fed, set_map(template(fed), "campaign", 999), "wrong_campaign")


def test_summary_export_is_not_a_template(fed):
    refused(fed, set_map(template(fed), "kind", "summary"), "summary_file")


def test_damaged_zip(fed):
    data = template(fed)
    refused(fed, data[: len(data) // 2], "damaged")


def test_not_excel_at_all(fed):
    refused(fed, "填报单位,数值\n".encode(), "bad_type")


def test_plain_workbook_without_map(fed):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "送温暖工程统计表"
    buffer = io.BytesIO()
    wb.save(buffer)
    refused(fed, buffer.getvalue(), "not_template")


def test_password_protected(fed):
    import msoffcrypto

    source = io.BytesIO(fill(template(fed), {"01A": 5}))
    encrypted = io.BytesIO()
    msoffcrypto.OfficeFile(source).encrypt("secret", encrypted)
    error = refused(fed, encrypted.getvalue(), "encrypted")
    assert "密码" in error.message


def test_formulas_instead_of_values(fed):
    cells = cell_map(template(fed))
    data = fill(template(fed), {"01A": "=100+20", "01A.2": 5})
    error = refused(fed, data, "formulas")
    assert cells["01A"] in error.message


def test_deleted_row(fed):
    data = fill(template(fed), {}, edit=lambda wb, ws, cells: ws.delete_rows(12))
    error = refused(fed, data, "structure_changed")
    assert "删除" in error.message


def test_merged_input_cell(fed):
    def merge(wb, ws, cells):
        row = int(cells["02A"][1:])
        ws.merge_cells(f"D{row}:E{row}")

    refused(fed, fill(template(fed), {}, edit=merge), "structure_changed")


def test_only_the_units_filler_may_import(fed):
    from chunfeng.core.errors import NotPermitted

    data = fill(template(fed), {"01A": 5})
    with pytest.raises(NotPermitted):
        report_import(
            slot=slot_of(fed, who=("zs", "reviewer")),
            data=data,
            name="t.xlsx",
            actor=fed.user("zs", "reviewer"),
        )
    assert not ReportValue.objects.exists()
