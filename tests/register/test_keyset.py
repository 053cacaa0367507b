"""The register list is paginated by key (``before`` / ``after`` the last row seen), newest
first: every page is reached with the same queries, however deep, and no file is skipped or
shown twice."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chunfeng.register import views

from .conftest import new_household


def names_on(html: str) -> list[str]:
    return re.findall(r">(职工\d+)</a>", html)


def test_walk_every_page_both_ways(fed, login, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    for seq in range(1, 9):  # 8 files: pages of 3, 3, 2
        new_household(fed, fed.zs, seq)
    client = login(fed.user("city", "viewer"))
    url = reverse("household-list")
    seen, pages, query = [], [], {"status": "active"}
    counts = []
    while True:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url, query).content.decode()
        counts.append(len(ctx.captured_queries))
        pages.append(names_on(html))
        seen += pages[-1]
        assert "共 8 户" in html
        older = re.search(r'href="\?([^"]*before=\d+)"', html)
        if older is None:
            break
        query = dict(pair.split("=") for pair in older.group(1).replace("&amp;", "&").split("&"))
        assert query["status"] == "active"  # the filters are kept
    assert seen == [f"职工{n}" for n in range(8, 0, -1)]
    assert [len(p) for p in pages] == [3, 3, 2]
    assert len(set(counts)) == 1  # the last page costs what the first does
    # back to newer pages from the last one
    newer = re.search(r'href="\?([^"]*after=\d+)"', html).group(1).replace("&amp;", "&")
    back = names_on(client.get(f"{url}?{newer}").content.decode())
    assert back == pages[1]
    first = client.get(url).content.decode()
    assert "上一页" not in first and "下一页" in first


def test_junk_page_keys_show_the_newest(fed, login, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [new_household(fed, fed.zs, seq) for seq in range(1, 4)]
    client = login(fed.user("zs", "filler"))
    for junk in ("abc", "-5", "1" * 30, ""):
        html = client.get(reverse("household-list"), {"before": junk}).content.decode()
        assert names_on(html) == ["职工3", "职工2"]
    assert names_on(
        client.get(reverse("household-list"), {"before": made[1].pk}).content.decode()
    ) == ["职工1"]


def list_queries(client, url, query=None, **headers) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url, query or {}, **headers).content.decode()
    return html, len(ctx.captured_queries)


def test_the_count_stops_at_its_cap_and_the_exact_one_comes_on_request(fed, login, monkeypatch):
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for seq in range(1, 3):
        new_household(fed, fed.zs, seq)
    client = login(fed.user("city", "viewer"))
    url = reverse("household-list")
    html, few = list_queries(client, url)
    assert "共 2 户" in html and "超过" not in html and "计算确切户数" not in html
    for seq in range(3, 9):  # 8 files, more than the cap
        new_household(fed, fed.zs, seq)
    html, many = list_queries(client, url, {"status": "active"})
    assert many == few  # the same queries with 2 files or 8 (the count is LIMIT'd)
    assert "超过 3 户" in html and "共 8 户" not in html
    assert names_on(html) == ["职工8", "职工7"]
    # the button asks for the exact count of the same filter, which comes back alone
    link = re.search(r'hx-get="\?([^"]*count=exact)"', html).group(1).replace("&amp;", "&")
    assert link == "status=active&count=exact"
    fragment, _ = list_queries(client, f"{url}?{link}", HTTP_HX_REQUEST="true")
    assert fragment.strip().startswith('<p class="muted" id="list-count">')
    assert "共 8 户" in fragment and "<table" not in fragment
    # without HTMX the same link is the whole page with the exact count
    whole = client.get(f"{url}?{link}").content.decode()
    assert "共 8 户" in whole and names_on(whole) == ["职工8", "职工7"]
    # a filter that matches fewer than the cap is counted exactly
    html, _ = list_queries(client, url, {"status": "escaped"})
    assert "共 0 户" in html and "超过" not in html
    # the cap counts the user's scope only: a grassroots filler sees its own files
    html, _ = list_queries(login(fed.user("zs", "filler")), url)
    assert "超过 3 户" in html


def test_count_capped_counts_up_to_the_cap(fed):
    from chunfeng.register.models import Household
    from chunfeng.register.selectors import count_capped

    for seq in range(1, 6):
        new_household(fed, fed.zs, seq)
    files = Household.objects.order_by("-pk")
    assert count_capped(files, None) == (5, False)
    assert count_capped(files, 5) == (5, False)
    assert count_capped(files, 4) == (4, True)
    assert count_capped(files, 1) == (1, True)
    assert count_capped(files.filter(name="职工2"), 1) == (1, False)
