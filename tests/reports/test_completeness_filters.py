"""The completeness detail filters and sorts its units in SQL (state, name or code, order), on
the page and in the API, and its pager keeps the filter."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from chunfeng.orgunits.models import OrgUnit
from chunfeng.reports.completeness import PAGE_SIZE, detail_page
from chunfeng.reports.models import Report, ReportStatus

from .test_completeness_queries import grow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def file_f2(fed, *codes: str) -> None:
    """``codes`` filed 附件2 too (on 2012-01-04), so that they have filed every form."""
    f2 = fed.campaign.forms.get(code="F2")
    when = dt.datetime(2012, 1, 4, 9, tzinfo=SHANGHAI)
    Report.objects.bulk_create(
        Report(
            campaign_form=f2,
            unit=unit,
            form_version=f2.form_version,
            status=ReportStatus.SUBMITTED,
            submitted_at=when,
            first_submitted_at=when,
        )
        for unit in OrgUnit.objects.filter(code__in=codes)
    )


def codes(page) -> list[str]:
    return [unit.code for unit, _rows in page.items]


@pytest.fixture
def six(fed):
    """Six grassroots unions under 中山区 (deadline 2012-01-05): 0 and 3 filed both forms, 5
    filed 附件1 only (late), 1, 2 and 4 nothing."""
    grow(fed, 6)
    file_f2(fed, "2102020100", "2102020103")
    return fed


def test_the_states(six):
    fed = six
    grown = [f"210202{k:04d}" for k in range(100, 106)]
    filed = detail_page(fed.campaign, fed.zs, state="filed")
    assert codes(filed) == ["2102020100", "2102020103"]
    missing = codes(detail_page(fed.campaign, fed.zs, state="missing"))
    assert set(missing) == {fed.zs.code, fed.zs_g1.code} | set(grown) - set(codes(filed))
    # before the street unions' deadline nobody is late; after it they are, 中山区 not yet
    before = detail_page(fed.campaign, fed.zs, state="late", today=dt.date(2012, 1, 4))
    assert codes(before) == []
    after = detail_page(fed.campaign, fed.zs, state="late", today=dt.date(2012, 1, 6))
    assert fed.zs.code not in codes(after)
    assert set(codes(after)) == set(missing) - {fed.zs.code}


def test_search_and_order(six):
    fed = six
    assert codes(detail_page(fed.campaign, fed.zs, q="第103")) == ["2102020103"]
    assert len(codes(detail_page(fed.campaign, fed.zs, q="21020201"))) == 6
    by_name = detail_page(fed.campaign, fed.zs, sort="name")
    names = [unit.name for unit, _rows in by_name.items]
    assert names == sorted(names)
    latest_first = detail_page(fed.campaign, fed.city, sort="-deadline")
    deadlines = [unit.deadline for unit, _rows in latest_first.items]
    assert deadlines == sorted(deadlines, reverse=True)
    assert deadlines[0] > deadlines[-1]  # 2012-01-08 for the districts, 01-05 for the streets


def test_the_page_filters_and_its_pager_keeps_the_filter(fed, login):
    grow(fed, PAGE_SIZE + 5)
    client = login(fed.user("city", "viewer"))
    url = f"/campaigns/{fed.campaign.pk}/completeness/"
    page = client.get(url, {"state": "missing", "q": "基层", "sort": "name"})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="detail-filters"' in text and 'value="missing" selected' in text
    assert "state=missing&amp;q=%E5%9F%BA%E5%B1%82&amp;sort=name&amp;page=2" in text
    second = client.get(url, {"state": "missing", "q": "基层", "sort": "name", "page": 2})
    assert second.status_code == 200
    detail = second.content.decode().split('id="completeness"')[1]
    assert fed.xg.name not in detail  # not 基层 in its name
    # an unknown state or order is ignored, not an error
    assert client.get(url, {"state": "nonsense", "sort": "pk"}).status_code == 200


def test_the_api_filters(six, api):
    fed = six
    client = api(fed.token("zs", "viewer"))
    base = f"/api/v1/campaigns/{fed.campaign.pk}/completeness"
    body = client.get(base, {"state": "filed"}).json()
    assert body["units"] == 2
    assert {row["unit"] for row in body["rows"]} == {"2102020100", "2102020103"}
    body = client.get(base, {"q": "第104", "sort": "-name"}).json()
    assert {row["unit"] for row in body["rows"]} == {"2102020104"}
    assert client.get(base, {"state": "nonsense"}).status_code == 422
