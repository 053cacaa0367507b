"""Benchmark: a report's entry page (GET) and a save (POST) against a trivial view.

    python bench/bench_entry_page.py                                  # its own SQLite
    python bench/bench_entry_page.py --units 1000 --saves 200
    python bench/bench_entry_page.py --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_entry

It builds the tests' small federation (``tests.fixtures.build_federation``), adds ``--units``
grassroots unions under 中山区 (each a recipient of the campaign) and saves 中山区's 附件1
``--saves`` times, every save changing every one of its 77 values (so the history is long and
heavy), then times through Django's test client, logged in as 中山区's filler:

* the trivial views, the unit of the ratios: ``/bench/trivial/`` (login required, answers
  "ok") and ``/bench/trivial-page/`` (login required, renders ``base.html``: the menu and the
  layout every page has);
* the entry page GET, and a save POST (a changed value, redirect answered, not followed).

Rounds are interleaved (trivial, trivial page, entry GET, trivial, trivial page, save …) and it
prints the median of the per-round ratios. With a PostgreSQL URL the database is created if
dropped and created again first, so its name must contain "bench". Nothing is asserted."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(url: str | None) -> None:
    if url:
        os.environ["DATABASE_URL"] = url
        _fresh_pg_database(url)
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CHUNFENG_DATA_DIR"] = tempfile.mkdtemp(prefix="chunfeng-bench-entry-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if url and "bench" not in connection.settings_dict["NAME"]:
        sys.exit("refusing: the PostgreSQL database name must contain 'bench' (it is emptied)")
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    _add_trivial_views()


def _fresh_pg_database(url: str) -> None:
    """Drop and create the database (``flush`` cannot: the history table is append-only)."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if "bench" not in cfg["NAME"]:
        sys.exit("refusing: the PostgreSQL database name must contain 'bench' (it is dropped)")
    conninfo = dict(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
    )
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def _add_trivial_views() -> None:
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.urls import clear_url_caches, path

    from chunfeng.config import urls

    urls.urlpatterns += [
        path("bench/trivial/", login_required(lambda request: HttpResponse("ok"))),
        path(
            "bench/trivial-page/",
            login_required(lambda request: render(request, "base.html", {})),
        ),
    ]
    clear_url_caches()


def build(units: int, saves: int):
    from chunfeng.accounts.services import user_create
    from chunfeng.formdefs.loader import latest_builtin
    from chunfeng.orgunits.models import UnitKind
    from chunfeng.orgunits.services import orgunit_create
    from tests.fixtures import PASSWORD, build_federation, file_report

    fed = build_federation()
    for i in range(units):
        unit = orgunit_create(
            code=f"210202{i + 100:04d}",
            name=f"基层工会{i}",
            kind=UnitKind.GRASSROOTS,
            parent=fed.zs,
        )
        fed.campaign.recipients.add(unit)
        user_create(username=f"g{i}_filler", unit=unit, role="filler", password=PASSWORD)
    blanks = latest_builtin("F1").blanks
    for i in range(saves):
        file_report(fed, fed.zs, submit=False, values=dict.fromkeys(blanks, i + 1))
    return fed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--saves", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--batch", type=int, default=10, help="requests in a row per timing (one is noise)"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    t = time.perf_counter()
    fed = build(args.units, args.saves)
    print(
        f"database: {connection.vendor}; {args.units} more units, {args.saves} saves "
        f"of 77 values built in {time.perf_counter() - t:.1f} s"
    )
    client = Client()
    client.force_login(fed.user("zs", "filler"))
    url = f"/campaigns/{fed.campaign.pk}/reports/210202/F1/"

    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    counter = iter(range(10**6))

    def save():
        response = client.post(url, {"v-01A": str(5000 + next(counter)), "version": ""})
        assert response.status_code == 302, response.status_code

    def timed(fn) -> float:
        start = time.perf_counter()
        for _ in range(args.batch):
            fn()
        return (time.perf_counter() - start) / args.batch

    def trivial():
        assert client.get("/bench/trivial/").status_code == 200

    def trivial_page():
        assert client.get("/bench/trivial-page/").status_code == 200

    for fn in (trivial, trivial_page, get, save):  # warm-up
        fn()
    with CaptureQueriesContext(connection) as ctx:
        size = len(get().content)
    print(f"entry page: {size / 1024:.0f} KB, {len(ctx.captured_queries)} queries")
    with CaptureQueriesContext(connection) as ctx:
        save()
    print(f"save: {len(ctx.captured_queries)} queries")
    rows = {k: [] for k in ("trivial", "page", "get", "save")}
    ratios = {k: [] for k in ("get/trivial", "save/trivial", "get/page", "save/page")}
    for _ in range(args.rounds):
        for action, fn in (("get", get), ("save", save)):
            a, b, c = timed(trivial), timed(trivial_page), timed(fn)
            rows["trivial"].append(a)
            rows["page"].append(b)
            rows[action].append(c)
            ratios[f"{action}/trivial"].append(c / a)
            ratios[f"{action}/page"].append(c / b)
    for key, secs in rows.items():
        print(f"  {key:8s} median {statistics.median(secs) * 1000:.1f} ms")
    for key, values in ratios.items():
        print(
            f"  {key:13s} median of {args.rounds} per-round ratios {statistics.median(values):.2f}×"
        )


if __name__ == "__main__":
    main()
