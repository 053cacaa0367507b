"""The city (the campaign's owner, collecting from its districts and industrial union) on the
pages: its 本级 entry page (same checks, Excel template and upload as a report), its final
report (no longer 404), the 汇总 with 本级 / 下级合计 / 合计 in the page, the table, the Excel
and the PDF, and closing the campaign; the 汇总's queries do not grow with the units."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.services import orgunit_create
from chunfeng.reports.models import Report, ReportKind
from chunfeng.reports.workflow import report_approve
from tests.fixtures import file_report, zeros
from tests.sheets.helpers import fill

from .test_views import money, text, totals


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def own_url(campaign, unit="210200", form="F1", page=""):
    return f"/campaigns/{campaign.pk}/reports/{unit}/{form}/own/{page}"


@pytest.fixture
def approved(fed):
    """中山区 100 workers, the industrial union 30 (overlapping), money from both; approved."""
    reviewer = fed.user("city", "reviewer")
    for unit, values in (
        (fed.zs, {"01A": 100} | money("1.2345")),
        (fed.xg, {"01A": 50} | money("2.5", 3)),
        (fed.industry, {"01A": 30} | money("10")),
    ):
        report_approve(report=file_report(fed, unit, values=values), actor=reviewer)
    return fed


def post_own(client, campaign, values):
    from chunfeng.formdefs.loader import latest_builtin  # the form only this helper needs

    data = {f"v-{c}": v for c, v in (zeros(latest_builtin("F1")) | values).items()}
    return client.post(own_url(campaign), data | {"version": "0"})


def test_the_city_fills_its_own_figures_on_the_entry_page(approved, login):
    client = login(approved.user("city", "filler"))
    page = text(client.get(own_url(approved.campaign)))
    assert "本级数字" in page and 'id="to-filed"' in page and "上传工作报告" not in page
    assert f"/campaigns/{approved.campaign.pk}/reports/210200/F1/own/check/" in page
    response = post_own(client, approved.campaign, {"05A": "5", "05E": "5", "04C": "2"})
    assert response.status_code == 302
    own = Report.all_kinds.get(unit=approved.city, kind=ReportKind.OWN)
    assert own.status == "draft" and not Report.objects.filter(unit=approved.city).exists()
    summary = text(client.get(f"/campaigns/{approved.campaign.pk}/summary/210200/F1/"))
    shown = totals(summary)
    assert shown["05A"] == "18.7345"  # 5 + 1.2345 + 2.5 + 10
    assert shown["01A"] == "150"  # 属地 only: the industrial union's 30 are not added again
    assert shown["04C"] == "7"
    row = summary.split('id="split-05A"')[1].split("</tr>")[0]
    assert "5.0000" in row and "13.7345" in row and "18.7345" in row


def test_the_own_page_checks_like_the_report(approved, login):
    client = login(approved.user("city", "filler"))
    response = client.post(own_url(approved.campaign, page="check/"), {"v-01A": "x"})
    assert response.status_code == 200 and "01A" in response.content.decode()
    response = post_own(client, approved.campaign, {"01A": "-1"})
    assert response.status_code == 400
    assert not Report.all_kinds.filter(kind=ReportKind.OWN).exists()


@pytest.mark.parametrize("role", ["reviewer", "admin", "viewer"])
def test_only_the_units_fillers_change_its_own_figures(approved, login, role):
    client = login(approved.user("city", role))
    assert client.get(own_url(approved.campaign)).status_code == 200
    assert post_own(client, approved.campaign, {"05A": "1"}).status_code == 403


@pytest.mark.parametrize("key", ["zs", "ind"])
def test_a_unit_below_never_sees_the_citys_own_figures(approved, login, key):
    client = login(approved.user(key, "filler"))
    assert client.get(own_url(approved.campaign)).status_code == 404
    assert client.get(own_url(approved.campaign, unit=approved.zs.code)).status_code == 404


def test_the_own_excel_template_round_trips_and_is_not_the_filed_reports(approved, login):
    client = login(approved.user("city", "filler"))
    template = client.get(own_url(approved.campaign, page="file/template.xlsx")).content
    data = fill(template, {"05A": 2, "05E": 2})
    upload = {"file": io.BytesIO(data)}
    upload["file"].name = "本级.xlsx"
    response = client.post(own_url(approved.campaign, page="import/"), upload)
    assert response.status_code == 200, response.content.decode()[:500]
    own = Report.all_kinds.get(unit=approved.city, kind=ReportKind.OWN)
    assert own.values.get(code="05A").value == 2
    # the same file is refused by the filed report's import
    again = {"file": io.BytesIO(data)}
    again["file"].name = "本级.xlsx"
    refused = client.post(f"/campaigns/{approved.campaign.pk}/reports/210200/F1/import/", again)
    assert refused.status_code == 400 and "本级数字的模板" in refused.content.decode()


def test_the_summary_files_carry_own_children_and_total(approved, login):
    client = login(approved.user("city", "filler"))
    post_own(client, approved.campaign, {"05A": "5", "05E": "5"})
    base = f"/campaigns/{approved.campaign.pk}/summary/210200/F1/"
    wb = openpyxl.load_workbook(io.BytesIO(body(client.get(base + "file.xlsx"))))
    rows = {r[0]: r for r in wb["本级下级合计"].iter_rows(values_only=True)}
    assert rows["代码"][2:] == ("本级", "属地", "产业", "下级合计", "合计", "合计规则")
    assert rows["05A"][2:6] == ("5.0000", "3.7345", "10.0000", "13.7345")
    assert rows["05A"][6] == "18.7345"
    assert rows["01A"][3:7] == ("150", "30", "150", "150") and "不相加" in rows["01A"][7]
    csv = body(client.get(base + "table.csv")).decode("utf-8-sig")
    assert "本级," in csv and "产业小计," in csv and "下级合计," in csv
    table = text(client.get(base + "table/"))
    assert "属地小计" in table and "下级合计" in table
    pdf = client.get(base + "file.pdf")
    assert pdf.status_code == 200 and body(pdf).startswith(b"%PDF")


def body(response) -> bytes:
    """A file sent from the temporary file it was written to."""
    return b"".join(response.streaming_content)


def test_the_owner_closes_with_a_frozen_final_report(approved, login):
    filler = login(approved.user("city", "filler"))
    post_own(filler, approved.campaign, {"05A": "5", "05E": "5"})
    final_url = f"/campaigns/{approved.campaign.pk}/reports/210200/F1/"
    page = text(filler.get(final_url))  # no longer 404
    assert "最终报表（合计）" in page and ">报送<" not in page
    reviewer = login(approved.user("city", "reviewer"))
    summary = text(reviewer.get(f"/campaigns/{approved.campaign.pk}/summary/210200/F1/"))
    assert 'id="close-campaign"' in summary
    # 中山区's F2 is not filed: closing is refused, and says why
    response = reviewer.post(f"/campaigns/{approved.campaign.pk}/close/", follow=True)
    assert "未审核通过" in response.content.decode()
    assert not Report.objects.filter(unit=approved.city).exists()
    for unit in (approved.zs, approved.xg, approved.industry):
        report = file_report(approved, unit, form="F2")
        report_approve(report=report, actor=approved.user("city", "reviewer"))
    response = reviewer.post(f"/campaigns/{approved.campaign.pk}/close/", follow=True)
    assert "活动已结束" in response.content.decode()
    final = Report.objects.get(unit=approved.city, campaign_form__code="F1")
    assert final.status == "approved" and final.values.get(code="05A").value == Decimal("18.7345")
    assert post_own(filler, approved.campaign, {"05A": "6"}).status_code == 403
    pdf = filler.get(final_url + "file/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_summary_queries_do_not_grow_with_the_units(fed, login):
    client = login(fed.user("city", "viewer"))
    url = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    reviewer = fed.user("city", "reviewer")
    report_approve(report=file_report(fed, fed.zs, values={"01A": 1}), actor=reviewer)
    few = count()
    for n in range(6):
        unit = orgunit_create(
            code=f"2102C1{n}", name=f"产业工会{n}", kind=UnitKind.INDUSTRY, parent=fed.city
        )
        fed.campaign.recipients.add(unit)
    for n in range(6):
        unit = orgunit_create(
            code=f"21029{n}", name=f"区{n}", kind=UnitKind.COUNTY, parent=fed.city
        )
        fed.campaign.recipients.add(unit)
    assert count() <= few


def test_the_campaign_page_links_the_citys_own_and_final_reports(fed, login):
    page = text(login(fed.user("city", "viewer")).get(f"/campaigns/{fed.campaign.pk}/"))
    assert 'id="own-filings"' in page and "最终报表（合计）" in page
    assert own_url(fed.campaign) in page
    district = text(login(fed.user("zs", "filler")).get(f"/campaigns/{fed.campaign.pk}/"))
    assert 'id="own-filings"' not in district  # 中山区 collects nothing in this campaign
