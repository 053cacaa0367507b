"""A warning's explanation (说明) is saved as the user leaves its box, like a blank: through the
same per-blank endpoint (code ``x-<check>``), carrying the version it read and refused (409)
with the other value when stale; its history row grouped with the blank saves of the sitting;
shown beside its warning; "报送前还需要" follows it (the live check)."""

from __future__ import annotations

import datetime as dt

import pytest

from chunfeng.accounts.services import user_create
from chunfeng.core.actors import SYSTEM
from chunfeng.core.models import AuditEvent
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from tests.fixtures import PASSWORD, attach_work_report, file_report, zeros

from .test_blank_saves import at, save
from .test_entry_views import entry_url

# 06A ≠ 05A: the warning F1-W01 (every other blank 0: no other check fails)
WARNED = {"05A": "10", "05B": "10", "06A": "8", "04C": "3"}
WHY = "余款2万元用于春节后走访"
F1 = latest_builtin("F1")


def warned(fed) -> int:
    """A draft of 中山区's F1 that raises F1-W01 and nothing else; its version."""
    file_report(fed, fed.zs, submit=False, values=WARNED)
    return Report.objects.get(unit=fed.zs).version


def explanations() -> dict:
    return Report.objects.get(campaign_form__code="F1").explanations


def test_an_explanation_is_saved_as_it_is_left(fed, login):
    v = warned(fed)
    client = login(fed.user("zs", "filler"))
    response = save(client, fed, "x-F1-W01", f"  {WHY}\n", v)
    assert response.status_code == 200
    assert response.json() == {"code": "x-F1-W01", "value": WHY, "version": v + 1}
    assert explanations() == {"F1-W01": WHY}
    # shown beside its warning, in its box, when the page is opened again
    page = client.get(entry_url(fed)).content.decode()
    li = page[page.index('data-fields="06A 05A"') :]
    li = li[: li.index("</li>")]
    assert "F1-W01" in li and 'id="x-F1-W01"' in li and f">{WHY}</textarea>" in li
    # emptied again: the explanation goes
    assert save(client, fed, "x-F1-W01", "  ", v + 1).json()["value"] == ""
    assert explanations() == {}


def test_the_readiness_follows_the_explanation(fed, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    v = warned(fed)
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    client = login(fed.user("zs", "filler"))
    page = client.get(entry_url(fed)).content.decode()
    assert "报送前还需要" in page and "F1-W01" in page[page.index('id="submit-problems"') :]
    save(client, fed, "x-F1-W01", WHY, v)
    page = client.get(entry_url(fed)).content.decode()
    assert "报送前还需要" not in page and "可以报送" in page
    # the live check the page runs when an explanation has been left says the same
    values = {f"v-{code}": text for code, text in (zeros(F1) | WARNED).items()}
    live = client.post(entry_url(fed) + "check/", values | {"x-F1-W01": WHY}).content.decode()
    assert 'id="submit-form"' in live and "报送前还需要" not in live
    live = client.post(entry_url(fed) + "check/", values | {"x-F1-W01": ""}).content.decode()
    assert "以下警告需要填写说明：F1-W01" in live


def test_an_explanation_of_no_warning_is_refused_and_not_stored(fed, login):
    v = warned(fed)
    client = login(fed.user("zs", "filler"))
    for code in ("x-F1-01", "x-F1-W99"):  # an error check; no such check
        response = save(client, fed, code, WHY, v)
        assert response.status_code == 400 and "说明" in response.json()["error"]
    long = save(client, fed, "x-F1-W01", "长" * 1001, v)
    assert long.status_code == 400 and "1000" in long.json()["error"]
    assert explanations() == {} and Report.objects.get(unit=fed.zs).version == v


def test_a_stale_explanation_is_refused_with_the_other_one(fed, login):
    v = warned(fed)
    other = user_create(
        username="zs_filler2", unit=fed.zs, role="filler", password=PASSWORD, actor=SYSTEM
    )
    first, second = login(fed.user("zs", "filler")), login(other)
    assert save(second, fed, "x-F1-W01", "春节后再发", v).status_code == 200
    stale = save(first, fed, "x-F1-W01", WHY, v)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"] == "春节后再发" and body["version"] == v + 1
    assert "F1-W01 的说明" in body["error"] and WHY in body["error"]
    assert explanations() == {"F1-W01": "春节后再发"}


def test_the_history_groups_explanations_with_the_sitting(fed, login, monkeypatch):
    v = warned(fed)
    client = login(fed.user("zs", "filler"))
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    for minute, (code, text) in enumerate(
        (("01A", "100"), ("x-F1-W01", "先写一句"), ("x-F1-W01", WHY), ("filler_name", "王芳"))
    ):
        at(monkeypatch, start + dt.timedelta(minutes=minute))
        v = save(client, fed, code, text, v).json()["version"]
    monkeypatch.undo()
    assert AuditEvent.objects.filter(action="report.save", details__via="blank").count() == 4
    page = client.get(entry_url(fed)).content.decode()
    history = page[page.index('id="history"') :]
    assert history.count("逐空自动保存") == 1  # one row for the sitting
    assert f"说明 F1-W01: （空） → {WHY}" in history
    assert "01A: 0 → 100" in history and "填表人: （空） → 王芳" in history


def test_a_submitted_report_shows_its_explanations_as_text(fed, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    v = warned(fed)
    client = login(fed.user("zs", "filler"))
    save(client, fed, "x-F1-W01", WHY, v)
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    client.post(entry_url(fed) + "submit/")
    assert Report.objects.get(unit=fed.zs).status == "submitted"
    page = client.get(entry_url(fed)).content.decode()
    assert "<textarea" not in page and f"说明：{WHY}" in page
    assert save(client, fed, "x-F1-W01", "改一下", v + 1).status_code == 403


def test_a_whole_save_refuses_an_explanation_too_long_as_a_blank_save_does(fed):
    """The limit belongs to the service: 保存草稿 and the API are held to it too."""
    from chunfeng.core.errors import ApplicationError
    from chunfeng.reports.models import Report
    from chunfeng.reports.selectors import report_slot_system
    from chunfeng.reports.services import EXPLANATION_MAX, report_save

    slot = report_slot_system(fed.campaign.pk, fed.zs.code, "F1")
    warning = next(c.id for c in slot.definition.checks if c.level == "warning")
    with pytest.raises(ApplicationError) as refused:
        report_save(
            slot=slot,
            actor=fed.user("zs", "filler"),
            values={},
            explanations={warning: "很" * (EXPLANATION_MAX + 1)},
        )
    assert warning in str(refused.value) and str(EXPLANATION_MAX) in str(refused.value)
    assert not Report.objects.filter(unit=fed.zs).exists()
