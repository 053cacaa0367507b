"""Each blank saved as the user leaves it (the entry page's per-blank save endpoint): a valid
value stored at once with the report's new version; an invalid one refused for that blank and
not stored; a save from a page read before someone else's save refused (409) with the value now
stored; one user's saves in one sitting one history row; other units 404, other roles 403; the
number of queries independent of the number of blanks filled and of the history's length."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.accounts.services import user_create
from chunfeng.core.actors import SYSTEM
from chunfeng.core.models import AuditEvent
from chunfeng.reports.models import Report, ReportKind, ReportValue
from chunfeng.reports.workflow import report_approve
from tests.fixtures import PASSWORD, file_report

from .test_entry_views import entry_url


def save_url(fed, unit_code="210202", form="F1", own=False):
    return entry_url(fed, unit_code, form) + ("own/" if own else "") + "blank/"


def save(client, fed, code, value, version, **kw):
    return client.post(save_url(fed, **kw), {"code": code, "value": value, "version": version})


def stored(code):
    return ReportValue.objects.filter(code=code).values_list("value", flat=True).first()


def test_a_valid_blank_is_stored_at_once_with_the_new_version(fed, login):
    client = login(fed.user("zs", "filler"))
    first = save(client, fed, "01A", "100", 0)
    assert first.status_code == 200
    body = first.json()
    assert body["code"] == "01A" and body["value"] == "100" and body["version"] >= 2
    assert stored("01A") == 100
    second = save(client, fed, "05A", "2.5", body["version"])
    assert second.status_code == 200 and second.json()["value"] == "2.5000"
    assert second.json()["version"] == body["version"] + 1
    assert Report.objects.get(unit=fed.zs).version == second.json()["version"]
    # emptied again: the stored value goes (empty is not 0)
    third = save(client, fed, "01A", "", second.json()["version"])
    assert third.status_code == 200 and stored("01A") is None


def test_a_header_field_is_saved_and_its_change_is_in_the_history(fed, login):
    client = login(fed.user("zs", "filler"))
    v = save(client, fed, "filler_name", "王芳", 0).json()["version"]
    save(client, fed, "filler_phone", "13800001234", v)
    report = Report.objects.get(unit=fed.zs)
    assert report.filler_name == "王芳" and report.filler_phone == "13800001234"
    page = client.get(entry_url(fed)).content.decode()
    history = page[page.index('id="history"') :]
    assert "填表人" in history and "王芳" in history
    assert "13800001234" not in history  # the phone masked in the history


def test_an_invalid_blank_is_refused_alone_and_not_stored(fed, login):
    client = login(fed.user("zs", "filler"))
    v = save(client, fed, "01A", "100", 0).json()["version"]
    bad = save(client, fed, "01A.2", "abc", v)
    assert bad.status_code == 400
    assert "01A.2" in bad.json()["error"] and "未保存" in bad.json()["error"]
    assert stored("01A.2") is None and stored("01A") == 100
    assert Report.objects.get(unit=fed.zs).version == v  # nothing written
    # the next blank still saves with the same version
    assert save(client, fed, "01A.2", "60", v).status_code == 200
    assert save(client, fed, "99Z", "1", v + 1).status_code == 400  # no such blank


def test_a_stale_save_is_refused_for_that_blank_with_the_other_value(fed, login):
    first = login(fed.user("zs", "filler"))
    other = user_create(
        username="zs_filler2", unit=fed.zs, role="filler", password=PASSWORD, actor=SYSTEM
    )
    second = login(other)
    v = save(first, fed, "01A", "100", 0).json()["version"]
    # both pages read version v; the second filler saves 01A first
    assert save(second, fed, "01A", "120", v).status_code == 200
    stale = save(first, fed, "01A", "90", v)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"] == "120" and body["version"] == v + 1
    assert "120" in body["error"] and "90" in body["error"]
    assert stored("01A") == 120  # the other's value kept


def test_one_sitting_is_one_history_row(fed, login, monkeypatch):
    client = login(fed.user("zs", "filler"))
    v = 0
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    sitting = (("01A", "100"), ("02A", "5"), ("01A.2", "60"), ("01A", "101"))
    for minute, (code, value) in enumerate(sitting):  # each a minute or two after the last
        at(monkeypatch, start + dt.timedelta(minutes=2 * minute))
        v = save(client, fed, code, value, v).json()["version"]
    assert AuditEvent.objects.filter(action="report.save").count() == 4  # the trail keeps all
    # a later sitting (more than five minutes on) is a row of its own
    at(monkeypatch, start + dt.timedelta(minutes=20))
    save(client, fed, "05A", "2", v)
    monkeypatch.undo()
    page = client.get(entry_url(fed)).content.decode()
    history = page[page.index('id="history"') :]
    assert history.count("逐空自动保存") == 2
    assert "01A: （空） → 101" in history  # first old value, last new one
    assert "02A: （空） → 5" in history and "05A: （空） → 2.0000" in history


def at(monkeypatch, when):
    """The clock the history's times are written with (the trail cannot be changed after)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: when)


def test_other_units_are_404_and_other_roles_403(fed, login):
    zs_filler = login(fed.user("zs", "filler"))
    # 西岗区 is outside 中山区's subtree
    assert save(zs_filler, fed, "01A", "1", 0, unit_code="210203").status_code == 404
    reviewer = login(fed.user("city", "reviewer"))
    assert save(reviewer, fed, "01A", "1", 0).status_code == 403
    assert not ReportValue.objects.exists()
    assert zs_filler.get(save_url(fed)).status_code == 405


def test_a_submitted_report_takes_no_blank_save(fed, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = file_report(fed, fed.zs, submit=True)
    client = login(fed.user("zs", "filler"))
    assert save(client, fed, "01A", "7", report.version).status_code == 403
    page = client.get(entry_url(fed)).content.decode()
    assert "data-blank-save" not in page and "保存草稿" not in page.split('id="history"')[0]


def test_the_own_filing_saves_per_blank(fed, login):
    reviewer = fed.user("city", "reviewer")
    for unit in (fed.zs, fed.xg, fed.industry):
        report_approve(report=file_report(fed, unit), actor=reviewer)
    client = login(fed.user("city", "filler"))
    response = save(client, fed, "01A", "7", 0, unit_code="210200", own=True)
    assert response.status_code == 200
    own = Report.all_kinds.get(unit=fed.city, kind=ReportKind.OWN)
    assert ReportValue.objects.get(report=own, code="01A").value == 7


@pytest.mark.parametrize("filled", [3, 40])
def test_queries_do_not_grow_with_blanks_or_history(fed, login, filled):
    client = login(fed.user("zs", "filler"))
    v = 0
    codes = list(_definition().blanks)[:filled]
    for code in codes:
        v = save(client, fed, code, "1", v).json()["version"]
    with CaptureQueriesContext(connection) as ctx:
        assert save(client, fed, codes[0], "2", v).status_code == 200
    assert len(ctx.captured_queries) <= 20, [q["sql"] for q in ctx.captured_queries]
    QUERIES.setdefault("n", set()).add(len(ctx.captured_queries))
    assert len(QUERIES["n"]) == 1  # the same count for 3 and 40 filled blanks and saves


QUERIES: dict[str, set] = {}


def _definition():
    from chunfeng.formdefs.loader import latest_builtin  # only this helper needs the form

    return latest_builtin("F1")
