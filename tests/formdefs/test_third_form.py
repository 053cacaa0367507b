"""A third form added as data only: the example of docs/forms.md (read from the document itself,
so the two cannot drift apart) is put in a CHUNFENG_FORM_DIRS folder and taken through every
part of Chunfeng that a form drives — the entry page and its checks, the workflow, the city's
汇总, the Excel template round trip and the PDF — with no code of its own."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.campaigns.services import campaign_create
from chunfeng.formdefs.models import FormVersion
from chunfeng.formdefs.services import formdefs_sync
from chunfeng.formdefs.values import format_value
from chunfeng.reports.models import Report, ReportStatus
from chunfeng.reports.selectors import report_values
from chunfeng.sheets.layout import MAP_SHEET
from tests.fixtures import attach_work_report

DOC = Path(__file__).resolve().parents[2] / "docs" / "forms.md"
EXAMPLE = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)

# What a grassroots union (青泥洼桥) reports: 12 families, 3 of them migrant workers, …
FILLED = {"01A": "12", "01A.2": "3", "01B": "1.2345", "01B.2": "800", "02": "是", "02.2": "0"}


def example_source() -> str:
    blocks = EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 1, "docs/forms.md must have exactly one ```yaml block: the example"
    return blocks[0]


@pytest.fixture
def f9(fed, settings, tmp_path):
    """The example stored as a form version, and a campaign of the city asking for it from 中山区
    (which collects from its grassroots union) and from 西岗区."""
    source = example_source()
    (tmp_path / "F9.v1.yaml").write_text(source, encoding="utf-8")
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    settings.MEDIA_ROOT = tmp_path / "media"
    formdefs_sync()
    version = FormVersion.objects.get(code="F9")
    assert version.source == yaml.safe_load(source)
    return f9_campaign(fed, [fed.zs, fed.zs_g1, fed.xg]), version.definition


def f9_campaign(fed, recipients):
    return campaign_create(
        owner=fed.city,
        name="2013年节日慰问",
        period_start=dt.date(2013, 1, 20),
        period_end=dt.date(2013, 2, 20),
        deadline=dt.date(2013, 3, 1),
        forms={"F9": None},
        recipients=recipients,
    )


def url(campaign, unit, tail=""):
    return f"/campaigns/{campaign.pk}/reports/{unit.code}/F9/{tail}"


def content(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def report_of(campaign, unit) -> Report:
    return Report.objects.get(campaign_form__campaign=campaign, unit=unit)


def fields(values: dict, **explanations) -> dict:
    return {f"v-{c}": v for c, v in values.items()} | {f"x-{c}": t for c, t in explanations.items()}


def test_the_example_is_a_complete_small_form(f9):
    _campaign, definition = f9
    assert (definition.code, definition.title) == ("F9", "示例：节日慰问情况表")
    assert list(definition.blanks) == ["01A", "01A.2", "01B", "01B.2", "02", "02.2"]
    assert {b.type for b in definition.blanks.values()} == {"count", "wan", "yuan", "yesno"}
    assert [(c.id, c.level) for c in definition.checks] == [
        ("F9-01", "error"),
        ("F9-W01", "warning"),
    ]


def test_entry_checks_and_workflow(f9, fed, login):
    campaign, definition = f9
    grassroots, filler = fed.zs_g1, login(fed.user("zsg", "filler"))
    page = content(filler.get(url(campaign, grassroots))).decode()
    assert "示例：节日慰问情况表" in page and "附件9" in page and "座谈会" in page
    for code in definition.blanks:
        assert f'name="v-{code}"' in page, code
    # a draft with 01A.2 > 01A is saved, and the error check is shown beside it
    wrong = FILLED | {"01A.2": "30"}
    response = filler.post(url(campaign, grassroots), fields(wrong))
    assert response.status_code == 302
    page = content(filler.get(url(campaign, grassroots))).decode()
    assert (
        "F9-01" in page and "其中困难农民工家庭（01A.2）不能大于慰问困难职工家庭（01A）。" in page
    )
    assert report_of(campaign, grassroots).status == ReportStatus.DRAFT
    # the live check (HTMX) says the same without saving
    live = content(filler.post(url(campaign, grassroots, "check/"), fields(wrong))).decode()
    assert "F9-01" in live
    # corrected; the warning (座谈会 held, nobody attended) needs an explanation to submit
    filler.post(url(campaign, grassroots), fields(FILLED))
    attach_work_report(campaign, grassroots, fed.user("zsg", "filler"))
    filler.post(url(campaign, grassroots, "submit/"))
    assert report_of(campaign, grassroots).status == ReportStatus.DRAFT
    page = content(filler.get(url(campaign, grassroots))).decode()
    assert "F9-W01" in page and "需要填写说明" in page
    explained = fields(FILLED, **{"F9-W01": "座谈会改为线上举行，未统计人数。"})
    assert filler.post(url(campaign, grassroots), explained).status_code == 302
    assert filler.post(url(campaign, grassroots, "submit/")).status_code == 302
    assert report_of(campaign, grassroots).status == ReportStatus.SUBMITTED
    # 中山区's reviewer approves through the page
    reviewer = login(fed.user("zs", "reviewer"))
    assert reviewer.post(url(campaign, grassroots, "approve/")).status_code == 302
    assert report_of(campaign, grassroots).status == ReportStatus.APPROVED


def approve_grassroots(campaign, fed, login):
    filler = login(fed.user("zsg", "filler"))
    explained = fields(FILLED, **{"F9-W01": "线上举行。"})
    filler.post(url(campaign, fed.zs_g1), explained)
    attach_work_report(campaign, fed.zs_g1, fed.user("zsg", "filler"))
    filler.post(url(campaign, fed.zs_g1, "submit/"))
    login(fed.user("zs", "reviewer")).post(url(campaign, fed.zs_g1, "approve/"))
    assert report_of(campaign, fed.zs_g1).status == ReportStatus.APPROVED


def test_district_fills_from_its_union_and_the_city_sees_the_summary(f9, fed, login):
    campaign, _definition = f9
    approve_grassroots(campaign, fed, login)
    district = login(fed.user("zs", "filler"))
    assert district.post(url(campaign, fed.zs, "fill/")).status_code == 302
    district.post(url(campaign, fed.zs), fields(FILLED, **{"F9-W01": "同青泥洼桥。"}))
    attach_work_report(campaign, fed.zs, fed.user("zs", "filler"))
    district.post(url(campaign, fed.zs, "submit/"))
    login(fed.user("city", "reviewer")).post(url(campaign, fed.zs, "approve/"))
    assert report_of(campaign, fed.zs).status == ReportStatus.APPROVED
    city = login(fed.user("city", "reviewer"))
    summary = f"/campaigns/{campaign.pk}/summary/{fed.city.code}/F9/"
    page = content(city.get(summary)).decode()
    assert "示例：节日慰问情况表（汇总）" in page and "填报单位" in page
    for code, total in {"01A": "12", "01A.2": "3", "01B": "1.2345", "01B.2": "800.00"}.items():
        assert re.search(rf'id="t-{re.escape(code)}"[^>]*>{re.escape(total)}</a>', page), code
    assert re.search(r'id="t-02"[^>]*>1</a><span class="muted">个单位答“是”', page)
    assert "西岗区总工会" in page  # has not reported yet
    table = content(city.get(summary + "table.csv")).decode("utf-8-sig")
    assert "中山区总工会" in table and "1.2345" in table
    assert "示例：节日慰问情况表" in content(city.get(f"/campaigns/{campaign.pk}/")).decode()
    assert "西岗区总工会" in content(city.get(f"/campaigns/{campaign.pk}/completeness/")).decode()


def test_excel_template_round_trip_and_pdf(f9, fed, login, tmp_path):
    campaign, definition = f9
    filler = login(fed.user("zsg", "filler"))
    template = content(filler.get(url(campaign, fed.zs_g1, "file/template.xlsx")))
    book = openpyxl.load_workbook(io.BytesIO(template))
    rows = book[MAP_SHEET].iter_rows(values_only=True)
    cells = {key[6:]: cell for key, cell in rows if str(key).startswith("blank:")}
    assert set(cells) == set(definition.blanks)
    sheet = book.worksheets[0]
    typed = {"01A": 12, "01A.2": 3, "01B": 1.2345, "01B.2": 800, "02": "是", "02.2": 0}
    for code, value in typed.items():
        sheet[cells[code]] = value
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("节日慰问.xlsx", buffer.getvalue())
    page = content(filler.post(url(campaign, fed.zs_g1, "import/"), {"file": upload})).decode()
    assert "已导入" in page and "F9-W01" in page  # the warning, with its cells
    stored = report_values(report_of(campaign, fed.zs_g1), definition)
    assert {c: format_value(definition.blanks[c], v) for c, v in stored.items()} == FILLED | {
        "01B.2": "800.00"
    }
    pdf = tmp_path / "f9.pdf"
    pdf.write_bytes(content(filler.get(url(campaign, fed.zs_g1, "file/export.pdf"))))
    pdftotext = ["pdftotext", "-layout", str(pdf), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "示例：节日慰问情况表" in flat and "青泥洼桥街道总工会" in flat
    printed = ["慰问困难职工家庭12户", "其中困难农民工家庭3户", "发放慰问金1.2345万元"]
    printed += ["人均慰问标准800.00元", "是否召开节日慰问座谈会是(是/否)"]
    printed += ["本表由各区市县总工会于节后十日内报送"]
    for wording in printed:
        assert wording in flat, wording


def test_nothing_assumes_the_shape_of_the_built_in_forms(fed, login, settings, tmp_path):
    """The example with what 附件1 and 附件2 never have: characters Excel refuses in a sheet
    name in its title, the unit second in the header and renamed, a line without blanks."""
    data = yaml.safe_load(example_source())
    data["title"] = "示例/节日慰问情况表: 2013?"
    data["header"] = [{"code": "date", "label": "填表日期"}, {"code": "unit", "label": "填表单位"}]
    data["items"][1]["lines"].append({"letter": "B", "text": "座谈会纪要另附。"})
    (tmp_path / "F9.v1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    settings.MEDIA_ROOT = tmp_path / "media"
    formdefs_sync()
    campaign = f9_campaign(fed, [fed.zs, fed.xg])
    filler = login(fed.user("zs", "filler"))
    page = content(filler.get(url(campaign, fed.zs))).decode()
    assert "座谈会纪要另附。" in page and "填表单位" in page
    template = content(filler.get(url(campaign, fed.zs, "file/template.xlsx")))
    assert openpyxl.load_workbook(io.BytesIO(template)).worksheets[0].title.startswith("示例／")
    upload = SimpleUploadedFile("t.xlsx", template)
    assert (
        "已导入"
        in content(filler.post(url(campaign, fed.zs, "import/"), {"file": upload})).decode()
    )
    content(filler.get(url(campaign, fed.zs, "file/export.pdf")))
    filler.post(url(campaign, fed.zs), fields(FILLED))
    Report.objects.filter(unit=fed.zs).update(status=ReportStatus.APPROVED)
    city = login(fed.user("city", "reviewer"))
    summary = content(city.get(f"/campaigns/{campaign.pk}/summary/{fed.city.code}/F9/")).decode()
    assert "填表单位：<strong>大连市总工会</strong>" in summary
    content(city.get(f"/campaigns/{campaign.pk}/summary/{fed.city.code}/F9/file.xlsx"))
