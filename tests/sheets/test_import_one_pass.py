"""An uploaded template is checked in one pass: its unreadable cells and what the automatic
checks say are shown together. A readable file is saved as a draft with its check messages (each
check named with its blanks and cells); a file with any unreadable cell saves nothing, lists
every such cell by address and blank, and shows the checks of the readable values as not saved.
Through the page (Django's test client) and the command line; the API in tests/api."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from chunfeng.core.models import AuditEvent
from chunfeng.reports.models import Report, ReportValue
from tests.fixtures import file_report

from .helpers import cell_map, fill

# 01A.2 > 01A: error F1-01; 02A > 01A: warning F1-26 (both over readable values)
CHECKED = {"01A": 10, "01A.2": 20, "02A": 30}
# text in a money blank, a decimal in a count, a negative count
UNREADABLE = {"05A": "很多", "03A": 2.5, "04A": -1}


def url(fed, tail="", own=False):
    unit = "210200" if own else "210202"
    return f"/campaigns/{fed.campaign.pk}/reports/{unit}/F1/{'own/' if own else ''}{tail}"


def template(client, fed, own=False) -> bytes:
    response = client.get(url(fed, "file/template.xlsx", own))
    assert response.status_code == 200
    return response.content


def upload(client, fed, data, own=False):
    file = SimpleUploadedFile("填好的.xlsx", data)
    return client.post(url(fed, "import/", own), {"file": file})


def section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</table>", start)]


def test_a_readable_file_is_saved_as_a_draft_with_its_check_messages(fed, login):
    client = login(fed.user("zs", "filler"))
    data = template(client, fed)
    cells = cell_map(data)
    response = upload(client, fed, fill(data, CHECKED))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已保存为草稿，以下检查结果需处理" in page
    assert "未保存" not in page
    checks = section(page, "saved-checks")
    # each check named, with its blanks and their cells
    f101 = re.search(r"<tr class=\"error\">.*?F1-01.*?</tr>", checks, re.S).group(0)
    assert "01A.2、01A" in f101 and f"{cells['01A.2']}、{cells['01A']}" in f101
    f126 = re.search(r"<tr class=\"warning\">.*?F1-26.*?</tr>", checks, re.S).group(0)
    assert "02A、01A" in f126 and cells["02A"] in f126 and "警告" in f126
    saved = dict(ReportValue.objects.values_list("code", "value"))
    assert saved == {"01A": 10, "01A.2": 20, "02A": 30}
    assert Report.objects.get(unit=fed.zs).status == "draft"


def test_a_clean_file_says_it_is_saved_and_the_checks_found_nothing(fed, login):
    client = login(fed.user("zs", "filler"))
    response = upload(client, fed, fill(template(client, fed), {"01A": 100, "01A.2": 30}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已保存为草稿。自动审核：无错误，无警告。" in page
    assert "以下检查结果需处理" not in page and 'id="saved-checks"' not in page


def test_a_file_with_unreadable_cells_saves_nothing_and_shows_everything(fed, login):
    file_report(fed, fed.zs, submit=False, values={"01A": 77, "02A": 5})
    version = Report.objects.get(unit=fed.zs).version
    before = dict(ReportValue.objects.values_list("code", "value"))
    events = AuditEvent.objects.filter(action__startswith="report.").count()
    client = login(fed.user("zs", "filler"))
    data = template(client, fed)
    cells = cell_map(data)
    filled = fill(data, CHECKED | UNREADABLE)
    response = upload(client, fed, filled)
    page = response.content.decode()
    assert response.status_code == 400
    assert "文件中有无法读取的单元格，未保存任何数据" in page
    assert "已保存为草稿" not in page
    unreadable = section(page, "unreadable-cells")
    for code in UNREADABLE:  # each cell by its address and blank code
        assert f"<td>{cells[code]}</td><td>{code}</td>" in unreadable
    assert len(re.findall(r"<tr><td>", unreadable)) == len(UNREADABLE)
    # the checks of the readable values, labelled as not saved
    assert "自动审核（未保存，仅供参考）" in page
    checks = section(page, "unsaved-checks")
    assert "F1-01" in checks and f"{cells['01A.2']}、{cells['01A']}" in checks
    assert "F1-26" in checks
    # nothing half saved: the earlier draft, its version and its history are untouched
    assert dict(ReportValue.objects.values_list("code", "value")) == before
    assert Report.objects.get(unit=fed.zs).version == version
    assert AuditEvent.objects.filter(action__startswith="report.").count() == events


def test_nothing_saved_when_no_draft_existed_either(fed, login):
    client = login(fed.user("zs", "filler"))
    response = upload(client, fed, fill(template(client, fed), CHECKED | {"02A.2": "abc"}))
    assert response.status_code == 400
    assert not Report.objects.exists() and not ReportValue.objects.exists()
    assert not AuditEvent.objects.filter(action="report.save").exists()


def test_a_formula_is_an_unreadable_cell_listed_with_the_others(fed, login):
    client = login(fed.user("zs", "filler"))
    data = template(client, fed)
    cells = cell_map(data)
    response = upload(client, fed, fill(data, CHECKED | {"05A": "=1+1", "03A": "三"}))
    page = response.content.decode()
    assert response.status_code == 400
    unreadable = section(page, "unreadable-cells")
    assert f"<td>{cells['05A']}</td><td>05A</td>" in unreadable and "公式" in unreadable
    assert f"<td>{cells['03A']}</td><td>03A</td>" in unreadable
    assert "F1-01" in section(page, "unsaved-checks")
    assert not ReportValue.objects.exists()


def test_the_upload_page_says_what_is_saved(fed, login):
    page = login(fed.user("zs", "filler")).get(url(fed, "import/")).content.decode()
    rules = page[page.index('id="import-rules"') :]
    assert "保存为草稿" in rules and "不保存任何数据" in rules


def test_the_own_filing_upload_goes_to_the_own_report(fed, login):
    from chunfeng.reports.workflow import report_approve

    reviewer = fed.user("city", "reviewer")
    for unit in (fed.zs, fed.xg, fed.industry):
        report_approve(report=file_report(fed, unit), actor=reviewer)
    client = login(fed.user("city", "filler"))
    data = template(client, fed, own=True)
    response = upload(client, fed, fill(data, {"01A": "x"}), own=True)
    assert response.status_code == 400
    assert "未保存任何数据" in response.content.decode()
    response = upload(client, fed, fill(data, CHECKED), own=True)
    page = response.content.decode()
    assert response.status_code == 200 and "F1-01" in page
    assert f'href="{url(fed, own=True)}"' in page  # back to the 本级 entry page
    own = Report.all_kinds.get(unit=fed.city, kind="own")
    assert ReportValue.objects.get(report=own, code="01A").value == 10


def test_the_command_line_prints_the_checks_of_a_refused_file(fed, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    call_command(
        "template", "--campaign", fed.campaign.pk, "--unit", "210202", "--form", "F1", "-o", out
    )
    out.write_bytes(fill(out.read_bytes(), CHECKED | {"05A": "abc"}))
    with pytest.raises(CommandError, match="未保存任何数据"):
        call_command("import-report", "--campaign", fed.campaign.pk, "--unit", "210202", str(out))
    err = capsys.readouterr().err
    assert "05A" in err and "未保存，仅供参考" in err and "F1-01" in err
    assert not ReportValue.objects.exists()
