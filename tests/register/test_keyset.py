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
