"""The completeness page and its API answer take a number of queries that does not grow with the
number of units (the rates are counted by the database, the lists read a page at a time), and
the page stays small when there are many units (issue 13)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.campaigns.passdown import campaign_pass_down
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.reports.completeness import PAGE_SIZE
from chunfeng.reports.models import Report, ReportStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def grow(fed, n: int, start: int = 100) -> None:
    """``n`` grassroots unions under 中山区, passed the campaign with an earlier deadline; every
    third filed 附件1 on time, every fifth late."""
    OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"210202{k:04d}",
            name=f"第{k}基层工会",
            kind=UnitKind.GRASSROOTS,
            parent=fed.zs,
            path=f"{fed.zs.path}210202{k:04d}/",
            depth=fed.zs.depth + 1,
        )
        for k in range(start, start + n)
    )
    campaign_pass_down(
        campaign=fed.campaign,
        unit=fed.zs,
        actor=fed.user("zs", "admin"),
        target="grassroots",
        deadline=dt.date(2012, 1, 5),
    )
    f1 = fed.campaign.forms.get(code="F1")
    codes = [f"210202{k:04d}" for k in range(start, start + n)]
    reports = []
    for k, unit in enumerate(OrgUnit.objects.filter(code__in=codes).order_by("code")):
        if k % 3 and k % 5:
            continue
        day = 4 if k % 3 == 0 else 7
        when = dt.datetime(2012, 1, day, 9, tzinfo=SHANGHAI)
        reports.append(
            Report(
                campaign_form=f1,
                unit=unit,
                form_version=f1.form_version,
                status=ReportStatus.SUBMITTED,
                submitted_at=when,
                first_submitted_at=when,
            )
        )
    Report.objects.bulk_create(reports)


def page_queries(fed, login) -> tuple[int, int]:
    client = login(fed.user("city", "viewer"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/campaigns/{fed.campaign.pk}/completeness/")
    assert response.status_code == 200
    return len(queries), len(response.content)


def api_queries(fed, api, n: int) -> int:
    client = api(fed.token("city", "viewer"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/campaigns/{fed.campaign.pk}/completeness")
    assert response.status_code == 200
    grassroots = next(r for r in response.json()["rates"] if r["level"] == "基层工会")
    assert grassroots["expected"] == 2 * (n + 1)  # two forms each; and 中山区's first one
    return len(queries)


def test_the_page_takes_the_same_queries_for_10_and_40_units(fed, login):
    grow(fed, 10)
    with_10, _size = page_queries(fed, login)
    grow(fed, 30, start=200)
    with_40, _size = page_queries(fed, login)
    assert with_40 == with_10


def test_the_api_takes_the_same_queries_for_10_and_40_units(fed, api):
    grow(fed, 10)
    with_10 = api_queries(fed, api, 10)
    grow(fed, 30, start=200)
    assert api_queries(fed, api, 40) == with_10


def test_the_page_of_many_units_is_small(fed, login):
    grow(fed, 10)
    _queries, small = page_queries(fed, login)
    grow(fed, 3 * PAGE_SIZE, start=200)
    _queries, large = page_queries(fed, login)
    # one page of the detail and of the overdue list, whatever the number of units
    assert large < small * 2.5, (small, large)


def test_rates_are_counted_right_with_the_given_deadline(fed, api):
    grow(fed, 30)  # k = 0..29: on time when k % 3 == 0 (10), late when k % 5 == 0 only (4)
    # (with the fixture's own grassroots union of 中山区, which filed nothing: 31 expected)
    body = api(fed.token("zs", "viewer")).get(
        f"/api/v1/campaigns/{fed.campaign.pk}/completeness?level=grassroots&page=1"
    )
    body = body.json()
    f1 = next(r for r in body["form_rates"] if r["form"] == "F1" and r["level"] == "基层工会")
    assert (f1["expected"], f1["filed"], f1["on_time"]) == (31, 14, 10)
    assert (body["units"], body["pages"]) == (31, 1)
    assert {r["unit"][:6] for r in body["rows"]} == {"210202"}
    assert body["overdue_count"] == 32  # every grassroots union misses 附件2; and 中山区 itself
    late = {o["unit"]: o for o in body["overdue"]}
    assert late["2102020100"]["missing"] == ["F2"]  # filed 附件1 (k = 0), not 附件2
    assert late["2102020101"]["missing"] == ["F1", "F2"]
    assert late["2102020101"]["deadline"] == "2012-01-05"
