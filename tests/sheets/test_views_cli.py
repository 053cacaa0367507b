"""Files through the pages and the command line: template download, upload with wrong cells
flagged by address, exports of reports and 汇总, CSV with BOM and no formula injection."""

import csv
import io
import subprocess

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.orgunits.models import OrgUnit
from chunfeng.reports.models import Report, ReportStatus, ReportValue
from tests.fixtures import zeros

from .helpers import cell_map, fill


def url(fed, unit="210202", form="F1", tail=""):
    return f"/campaigns/{fed.campaign.pk}/reports/{unit}/{form}/{tail}"


def download(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content[:200]
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload(client, fed, data, name="填好的.xlsx"):
    return client.post(url(fed, tail="import/"), {"file": SimpleUploadedFile(name, data)})


def test_filler_downloads_fills_fixes_and_submits(fed, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(fed.user("zs", "filler"))
    template = download(client, url(fed, tail="file/template.xlsx"))
    cells = cell_map(template)
    values = {c: (0 if v != "否" else "否") for c, v in zeros(latest_builtin("F1")).items()}
    bad = fill(template, values | {"01A": "一百", "05A": 1.23456})
    response = upload(client, fed, bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert cells["01A"] in page and cells["05A"] in page and "01A" in page and "05A" in page
    assert not ReportValue.objects.exists()
    good = fill(template, values | {"01A": 100, "01A.2": 30})
    response = upload(client, fed, good)
    assert response.status_code == 200 and "已导入" in response.content.decode()
    assert dict(ReportValue.objects.values_list("code", "value"))["01A"] == 100
    client.post(
        url(fed, tail="work-report/"), {"file": SimpleUploadedFile("报告.pdf", b"%PDF-1.4")}
    )
    client.post(url(fed, tail="submit/"))
    assert Report.objects.get().status == ReportStatus.SUBMITTED


def test_import_shows_check_results_with_cells(fed, login):
    client = login(fed.user("zs", "filler"))
    template = download(client, url(fed, tail="file/template.xlsx"))
    cells = cell_map(template)
    response = upload(client, fed, fill(template, {"01A": 10, "01A.2": 20}))
    page = response.content.decode()
    assert response.status_code == 200 and "F1-01" in page
    assert f"{cells['01A.2']}、{cells['01A']}" in page  # the cells of F1-01's blanks


@pytest.mark.parametrize(
    "who, unit, status",
    [
        (("zs", "reviewer"), "210202", 403),
        (("xg", "filler"), "210202", 404),
        (("zs", "viewer"), "210202", 403),
    ],
)
def test_import_permissions(fed, login, who, unit, status):
    template = download(login(fed.user("zs", "filler")), url(fed, tail="file/template.xlsx"))
    client = login(fed.user(*who))
    response = client.post(
        url(fed, unit, tail="import/"),
        {"file": SimpleUploadedFile("t.xlsx", fill(template, {"01A": 1}))},
    )
    assert response.status_code == status
    assert not ReportValue.objects.exists()


def test_downloads_scoped(fed, login):
    client = login(fed.user("xg", "filler"))
    assert client.get(url(fed, tail="file/template.xlsx")).status_code == 404
    assert client.get(url(fed, tail="file/export.pdf")).status_code == 404


def test_report_pdf_has_every_item(fed, login, tmp_path):
    client = login(fed.user("zs", "filler"))
    pdf = download(client, url(fed, tail="file/export.pdf"))
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "送温暖工程统计表" in text and "中山区总工会" in text
    for number in [f"{n:02d}" for n in range(1, 14)]:
        assert number in text


def approve_two(fed):
    from chunfeng.reports.selectors import report_slot_for
    from chunfeng.reports.services import report_save

    for unit, n in ((fed.zs, "1.2345"), (fed.xg, "2.0001")):
        filler = unit.users.get(role="filler")
        slot = report_slot_for(filler, fed.campaign.pk, unit.code, "F1")
        report, _ = report_save(slot=slot, actor=filler, values={"05A": n, "01A": "7"})
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)


def test_summary_exports(fed, login, tmp_path):
    approve_two(fed)
    client = login(fed.user("city", "reviewer"))
    base = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"
    wb = openpyxl.load_workbook(io.BytesIO(download(client, base + "file.xlsx")))
    ws = wb.worksheets[0]
    assert "（汇总）" in ws["A2"].value
    cells = {
        k[6:]: v
        for k, v in wb["_chunfeng"].iter_rows(values_only=True)
        if str(k).startswith("blank:")
    }
    assert str(ws[cells["05A"]].value) == "3.2346" and ws[cells["01A"]].value == 14
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(download(client, base + "file.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "汇总" in text and "3.2346" in text


def test_unit_table_csv_has_bom_and_neutralises_formulas(fed, login):
    OrgUnit.objects.filter(pk=fed.xg.pk).update(name='=HYPERLINK("http://x","点我")')
    approve_two(fed)
    client = login(fed.user("city", "reviewer"))
    base = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"
    data = download(client, base + "table.csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    names = [r[1] for r in rows[1:-1]]
    assert '\'=HYPERLINK("http://x","点我")' in names
    assert rows[-1][0] == "合计"
    wb = openpyxl.load_workbook(io.BytesIO(download(client, base + "table.xlsx")))
    ws = wb.active
    cell = next(c for c in ws["B"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula


def test_cli_template_import_export(fed, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    call_command(
        "template",
        "--campaign",
        fed.campaign.pk,
        "--unit",
        "210202",
        "--form",
        "F1",
        "-o",
        str(out),
    )
    out.write_bytes(fill(out.read_bytes(), {"01A": 50, "01A.2": 60}))
    call_command("import-report", "--campaign", fed.campaign.pk, "--unit", "210202", str(out))
    assert "F1-01" in capsys.readouterr().out
    assert dict(ReportValue.objects.values_list("code", "value"))["01A"] == 50
    pdf = tmp_path / "r.pdf"
    call_command(
        "export",
        "--campaign",
        fed.campaign.pk,
        "--unit",
        "210202",
        "--form",
        "F1",
        "--format",
        "pdf",
        "-o",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF")


def test_cli_import_refuses_bad_file(fed, tmp_path):
    from django.core.management.base import CommandError

    out = tmp_path / "t.xlsx"
    call_command(
        "template",
        "--campaign",
        fed.campaign.pk,
        "--unit",
        "210202",
        "--form",
        "F1",
        "-o",
        str(out),
    )
    out.write_bytes(fill(out.read_bytes(), {"01A": "abc"}))
    with pytest.raises(CommandError, match="01A"):
        call_command("import-report", "--campaign", fed.campaign.pk, "--unit", "210202", str(out))
    assert not ReportValue.objects.exists()
