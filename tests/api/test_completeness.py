"""GET /campaigns/{id}/completeness: who has reported, who is late, 报送率 and 及时率."""

import datetime as dt

import pytest
from django.utils import timezone

from chunfeng.orgunits.services import orgunit_retire
from chunfeng.reports.models import Report
from tests.fixtures import file_report

ON_TIME = timezone.make_aware(dt.datetime(2012, 1, 8, 23, 30))  # the deadline day, late evening
LATE = timezone.make_aware(dt.datetime(2012, 1, 9, 0, 10))  # ten minutes into the next day


def submitted_at(fed, unit, when):
    Report.objects.filter(unit=unit).update(submitted_at=when, first_submitted_at=when)


@pytest.fixture
def filed(fed):
    """210202 on time and 210203 late with both forms, 210202001 (added as a recipient) missing,
    and 2102C01, which filed too, retired before the deadline."""
    fed.campaign.recipients.add(fed.zs_g1)
    for unit, when in ((fed.zs, ON_TIME), (fed.xg, LATE), (fed.industry, ON_TIME)):
        for form in ("F1", "F2"):
            file_report(fed, unit, form)
        submitted_at(fed, unit, when)
    orgunit_retire(unit=fed.industry, on=dt.date(2012, 1, 1))
    return fed


def get(client, fed, unit: str | None = None):
    query = f"?unit={unit}" if unit else ""
    return client.get(f"/api/v1/campaigns/{fed.campaign.pk}/completeness{query}")


def row(unit, name, form, status, when, on_time, overdue):
    return {
        "unit": unit,
        "unit_name": name,
        "form": form,
        "status": status,
        "deadline": "2012-01-08",
        "submitted_at": when,
        "on_time": on_time,
        "overdue": overdue,
    }


def test_on_time_late_missing_and_retired(filed, client_as):
    response = get(client_as("city", "viewer"), filed)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("campaign", "unit", "deadline")} == {
        "campaign": filed.campaign.pk,
        "unit": "210200",
        "deadline": "2012-01-08",
    }
    for r in body["rows"]:
        if r["submitted_at"]:
            r["submitted_at"] = dt.datetime.fromisoformat(r["submitted_at"])
    assert body["rows"] == [
        row("210202", "中山区总工会", "F1", "submitted", ON_TIME, True, False),
        row("210202", "中山区总工会", "F2", "submitted", ON_TIME, True, False),
        row("210202001", "青泥洼桥街道总工会", "F1", "not_started", None, None, True),
        row("210202001", "青泥洼桥街道总工会", "F2", "not_started", None, None, True),
        row("210203", "西岗区总工会", "F1", "submitted", LATE, False, False),
        row("210203", "西岗区总工会", "F2", "submitted", LATE, False, False),
    ]  # 2102C01 retired before the deadline: not expected, although it filed
    assert body["rates"] == [
        {
            "level": "区市县总工会",
            "expected": 4,
            "filed": 4,
            "on_time": 2,
            "filing_rate": "100.0",
            "timely_rate": "50.0",
        },
        {
            "level": "基层工会",
            "expected": 2,
            "filed": 0,
            "on_time": 0,
            "filing_rate": "0.0",
            "timely_rate": "0.0",
        },
        {
            "level": "合计",
            "expected": 6,
            "filed": 4,
            "on_time": 2,
            "filing_rate": "66.7",
            "timely_rate": "33.3",
        },
    ]


def test_submission_time_is_local_iso(filed, client_as):
    rows = get(client_as("city", "viewer"), filed).json()["rows"]
    assert rows[0]["submitted_at"].startswith("2012-01-08T23:30:00")
    assert dt.datetime.fromisoformat(rows[0]["submitted_at"]) == ON_TIME


def test_no_rate_exceeds_100_percent(filed, client_as):
    for rate in get(client_as("city", "viewer"), filed).json()["rates"]:
        assert rate["on_time"] <= rate["filed"] <= rate["expected"]
        for key in ("filing_rate", "timely_rate"):
            assert rate[key] is None or float(rate[key]) <= 100


def test_unit_retired_after_the_deadline_is_still_expected(fed, client_as):
    file_report(fed, fed.industry)
    orgunit_retire(unit=fed.industry, on=dt.date(2012, 1, 9))
    body = get(client_as("city", "viewer"), fed).json()
    assert [r["unit"] for r in body["rows"]].count("2102C01") == 2
    industry = next(r for r in body["rates"] if r["level"] == "产业工会")
    assert (industry["expected"], industry["filed"]) == (2, 1)


@pytest.mark.parametrize(
    "status, filed, overdue",
    [("draft", False, True), ("returned", False, True), ("approved", True, False)],
)
def test_only_submitted_and_approved_count_as_filed(fed, client_as, status, filed, overdue):
    file_report(fed, fed.xg, "F1")
    submitted_at(fed, fed.xg, ON_TIME)
    Report.objects.filter(unit=fed.xg).update(status=status)
    body = get(client_as("xg", "viewer"), fed).json()
    first = body["rows"][0]
    # on_time is only judged for filed reports (a returned one is not filed until resubmitted)
    on_time = True if filed else None
    assert (first["status"], first["on_time"], first["overdue"]) == (status, on_time, overdue)
    total = body["rates"][-1]
    assert total["level"] == "合计"
    assert (total["expected"], total["filed"]) == (2, int(filed))


@pytest.mark.parametrize(
    "key, unit, rows",
    [
        ("city", None, ["210202", "210202001", "210203"]),
        ("city", "210202", ["210202", "210202001"]),
        ("city", "210203", ["210203"]),
        ("zs", None, ["210202", "210202001"]),  # defaults to the caller's unit
        ("zs", "210202", ["210202", "210202001"]),
        ("zs", "210202001", ["210202001"]),
        ("xg", None, ["210203"]),
        ("zsg", None, ["210202001"]),
        ("ind", None, []),  # retired: sees nothing it owes
    ],
)
def test_rows_are_limited_to_the_subtree(filed, client_as, key, unit, rows):
    response = get(client_as(key, "viewer"), filed, unit)
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == (
        unit
        or {"city": "210200", "zs": "210202", "xg": "210203", "zsg": "210202001", "ind": "2102C01"}[
            key
        ]
    )
    assert list(dict.fromkeys(r["unit"] for r in body["rows"])) == rows


def test_empty_subtree_has_no_rates_to_divide(filed, client_as):
    body = get(client_as("ind", "viewer"), filed).json()
    assert body["rates"] == [
        {
            "level": "合计",
            "expected": 0,
            "filed": 0,
            "on_time": 0,
            "filing_rate": None,
            "timely_rate": None,
        },
    ]


@pytest.mark.parametrize(
    "key, unit",
    [
        ("zs", "210203"),  # another district
        ("zs", "210200"),  # the city above
        ("xg", "210202001"),
        ("zsg", "210202"),
        ("city", "999999"),  # no such unit
    ],
)
@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_unit_outside_the_subtree_is_404(filed, client_as, key, unit, role):
    response = get(client_as(key, role), filed, unit)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_campaign_out_of_reach_is_404(fed, client_as):
    """210202001 is not a recipient here: the city's campaign is none of its business."""
    assert get(client_as("zsg", "viewer"), fed).status_code == 404
    assert (
        client_as("city", "viewer").get("/api/v1/campaigns/999999/completeness").status_code == 404
    )
