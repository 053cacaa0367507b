"""The entry page and a save run a number of queries that depends neither on how long the
report's history is nor on how many units the federation has (history paginated, the records'
figures loaded on request)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.accounts.services import user_create
from chunfeng.orgunits.models import UnitKind
from chunfeng.orgunits.services import orgunit_create
from chunfeng.reports.selectors import HISTORY_PAGE
from tests.fixtures import PASSWORD, file_report, zeros
from tests.reports.test_entry_views import F1, entry_url, posted


def grow(fed, *, units: int, saves: int) -> None:
    """``units`` more grassroots unions under 中山区 (each with a report of its own) and
    ``saves`` more saves of 中山区's report, each changing every value."""
    start = fed.zs.children.count()
    for i in range(units):
        unit = orgunit_create(
            code=f"210202{start + 100 + i:03d}",
            name=f"基层工会{i}",
            kind=UnitKind.GRASSROOTS,
            parent=fed.zs,
        )
        fed.campaign.recipients.add(unit)
        user_create(username=f"g{i}_filler", unit=unit, role="filler", password=PASSWORD)
        file_report(fed, unit, submit=False)
    for i in range(saves):
        file_report(fed, fed.zs, submit=False, values=dict.fromkeys(F1.blanks, i + 1) | {})


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def measure(fed, client) -> tuple[int, int]:
    get = count(lambda: client.get(entry_url(fed)))
    save = count(lambda: client.post(entry_url(fed), posted(zeros(F1), version="")))
    return get, save


def test_queries_do_not_grow_with_history_or_units(fed, login):
    client = login(fed.user("zs", "filler"))
    file_report(fed, fed.zs, submit=False, values={"01A": 7})
    small = measure(fed, client)
    grow(fed, units=6, saves=30)
    big = measure(fed, client)
    assert big == small, (small, big)


def history_url(fed, page=None):
    return entry_url(fed) + "history/" + (f"?page={page}" if page else "")


def test_history_is_paginated_newest_first(fed, login):
    client = login(fed.user("zs", "filler"))
    for i in range(HISTORY_PAGE + 3):
        file_report(fed, fed.zs, submit=False, values={"01A": 1000 + i})
    entry = client.get(entry_url(fed)).content.decode()
    newest, oldest = "01A: 1011 → 1012", "01A: （空） → 1000"
    assert newest in entry and oldest not in entry and "更早的记录" in entry
    assert entry.count("<tr><td>") == HISTORY_PAGE
    older = client.get(history_url(fed, 2), headers={"HX-Request": "true"}).content.decode()
    assert oldest in older and newest not in older and "<html" not in older
    assert "较新的记录" in older and "更早的记录" not in older
    assert older.count("<tr><td>") == 3
    whole = client.get(history_url(fed, 2)).content.decode()
    assert "<html" in whole and oldest in whole
    for junk in ("abc", "-1", "0", "99999999999"):
        page = client.get(entry_url(fed) + f"history/?page={junk}").content.decode()
        assert newest in page


def test_history_and_records_stay_inside_the_subtree(fed, login):
    file_report(fed, fed.zs, submit=False)
    outsider = login(fed.user("xg", "filler"))
    for tail in ("history/", "records/"):
        assert outsider.get(entry_url(fed) + tail).status_code == 404
        assert login(fed.user("city", "viewer")).get(entry_url(fed) + tail).status_code == 200


def test_records_only_on_request(fed, login):
    file_report(fed, fed.zs, submit=False)
    client = login(fed.user("zs", "filler"))
    entry = client.get(entry_url(fed)).content.decode()
    assert 'hx-get="' + entry_url(fed) + 'records/"' in entry
    assert "暂无可核对的数字" not in entry
    part = client.get(entry_url(fed) + "records/", headers={"HX-Request": "true"}).content.decode()
    assert "暂无可核对的数字" in part and "<html" not in part
