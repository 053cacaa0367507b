"""Who may read and write a report: scope (404 outside the subtree) and role (403 to write)."""

import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from tests.fixtures import zeros

F1 = latest_builtin("F1")

READ = [
    ("zs", "filler", "210202", 200),
    ("zs", "reviewer", "210202", 200),
    ("zs", "admin", "210202", 200),
    ("zs", "viewer", "210202", 200),
    ("city", "viewer", "210202", 200),
    ("city", "viewer", "210203", 200),
    ("city", "viewer", "2102C01", 200),
    ("ind", "filler", "2102C01", 200),
    ("zs", "filler", "210203", 404),  # another district
    ("xg", "filler", "210202", 404),
    ("ind", "viewer", "210202", 404),
    ("zsg", "filler", "210202", 404),  # the parent of one's own unit
    ("zs", "filler", "210202001", 404),  # within the subtree, but not a recipient
    ("city", "admin", "210200", 200),  # the owner's final report (合计)
    ("zs", "filler", "210200", 404),  # the city is above the district
]

WRITE = [
    ("zs", "filler", "210202", 200),
    ("xg", "filler", "210203", 200),
    ("ind", "filler", "2102C01", 200),
    ("zs", "reviewer", "210202", 403),
    ("zs", "admin", "210202", 403),
    ("zs", "viewer", "210202", 403),
    ("city", "filler", "210202", 403),  # sees the unit, but fills only its own
    ("city", "admin", "210202", 403),
    ("zs", "filler", "210203", 404),
    ("xg", "filler", "210202", 404),
    ("zsg", "filler", "210202", 404),
    ("zs", "filler", "210202001", 404),
]


@pytest.mark.parametrize("key, role, unit, status", READ)
@pytest.mark.parametrize("form", ["F1", "F2"])
def test_read(client_as, report_url, key, role, unit, status, form):
    response = client_as(key, role).get(report_url(unit, form))
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("key, role, unit, status", WRITE)
def test_write(client_as, report_url, key, role, unit, status):
    response = client_as(key, role).put(
        report_url(unit, "F1"), {"values": zeros(F1)}, content_type="application/json"
    )
    assert response.status_code == status
    assert Report.objects.exists() == (status == 200)
    if status == 403:
        assert response.json()["code"] == "forbidden"
        assert "填报员" in response.json()["message"]


def test_others_read_what_the_filler_saved(client_as, report_url):
    url = report_url("210202", "F1")
    client_as("zs", "filler").put(url, {"values": {"01A": 4}}, content_type="application/json")
    for key, role in (("zs", "viewer"), ("zs", "reviewer"), ("city", "viewer")):
        assert client_as(key, role).get(url).json()["values"] == {"01A": "4"}


def test_bad_values_from_a_non_filler_are_still_403(client_as, report_url):
    response = client_as("zs", "viewer").put(
        report_url("210202", "F1"), {"values": {"01A": "x"}}, content_type="application/json"
    )
    assert response.status_code == 403


# 本级 (own figures): only a unit with reporting units below keeps them — here the city, the
# campaign's owner; a district without recipients below has none (404)
OWN_READ = [
    ("city", "filler", "210200", 200),
    ("city", "reviewer", "210200", 200),
    ("city", "admin", "210200", 200),
    ("city", "viewer", "210200", 200),
    ("zs", "filler", "210200", 404),  # above one's unit
    ("ind", "viewer", "210200", 404),
    ("zs", "filler", "210202", 404),  # collects nothing in this campaign
    ("city", "viewer", "210202", 404),
]

OWN_WRITE = [
    ("city", "filler", "210200", 200),
    ("city", "reviewer", "210200", 403),
    ("city", "admin", "210200", 403),
    ("city", "viewer", "210200", 403),
    ("zs", "filler", "210200", 404),
    ("zs", "filler", "210202", 404),
]


@pytest.mark.parametrize("key, role, unit, status", OWN_READ)
def test_read_own(client_as, report_url, key, role, unit, status):
    response = client_as(key, role).get(report_url(unit, "F1") + "/own")
    assert response.status_code == status
    if status == 200:
        assert response.json()["filing"] == "own"


@pytest.mark.parametrize("key, role, unit, status", OWN_WRITE)
def test_write_own(client_as, report_url, key, role, unit, status):
    response = client_as(key, role).put(
        report_url(unit, "F1") + "/own", {"values": zeros(F1)}, content_type="application/json"
    )
    assert response.status_code == status
    assert Report.all_kinds.filter(kind="own").exists() == (status == 200)
    assert not Report.objects.exists()  # the filed reports are untouched


@pytest.mark.parametrize(
    "key, role, status",
    [("city", "reviewer", 400), ("city", "admin", 400), ("city", "filler", 403)]
    + [("city", "viewer", 403), ("zs", "reviewer", 403), ("zs", "admin", 403)],
)
def test_close_campaign(fed, client_as, key, role, status):
    """Only the owner's reviewers and admins may end a campaign (400 here: nothing approved)."""
    response = client_as(key, role).post(f"/api/v1/campaigns/{fed.campaign.pk}/close")
    assert response.status_code == status, response.json()
    if status == 400:
        assert response.json()["code"] == "not_complete"
