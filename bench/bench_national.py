"""Benchmark: a national-shaped federation (``chunfeng.demo.national``) and the register list
on it, first page and deep pages, against a trivial view.

    python bench/bench_national.py --households 20000                       # its own SQLite
    python bench/bench_national.py --cities 10 --counties 10 --grassroots 100 --households 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_national

Full national size (a bigger machine): ``--cities 30 --counties 100 --grassroots 100
--households 5500000``. With a PostgreSQL URL the database is dropped and
created again first, so its name must contain "bench". It prints how long each part of the
generation took, then, logged in as a viewer of the province, the register list's first page,
a page in the middle and the last page (reached by key, ``before=``) against ``/bench/trivial/``
and ``/bench/trivial-page/``, in interleaved rounds (median of per-round ratios). Nothing is
asserted."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_entry_page import setup  # noqa: E402 - after the path is set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--counties", type=int, default=10, help="per city")
    parser.add_argument("--grassroots", type=int, default=100, help="per county")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection
    from django.test import Client

    from chunfeng.accounts.services import user_create
    from chunfeng.demo.national import Shape, national_build
    from chunfeng.register.models import Household

    shape = Shape(args.cities, args.counties, args.grassroots, args.households)
    start = time.perf_counter()

    def say(text: str) -> None:
        print(f"  {time.perf_counter() - start:7.1f} s  {text}", flush=True)

    print(f"database: {connection.vendor}; {shape.reporting_units:,} reporting units")
    built = national_build(shape=shape, say=say)
    say("built")
    user = user_create(username="bench_viewer", unit=built.root, role="viewer", password="x" * 12)
    client = Client()
    client.force_login(user)
    pks = list(Household.objects.order_by("-pk").values_list("pk", flat=True)[:: 50 * 1000])
    last = Household.objects.order_by("pk").values_list("pk", flat=True)[51]
    pages = {
        "first page": "/register/",
        "middle page": f"/register/?before={pks[len(pks) // 2]}",
        "last page": f"/register/?before={last}",
    }

    def timed(url: str) -> float:
        t = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return time.perf_counter() - t

    for url in ("/bench/trivial/", "/bench/trivial-page/", *pages.values()):
        timed(url)  # warm-up
    for label, url in pages.items():
        ratios, secs = [], []
        for _ in range(args.rounds):
            base = timed("/bench/trivial-page/")
            took = timed(url)
            secs.append(took)
            ratios.append(took / base)
        print(
            f"register list, {label:11s}: median {statistics.median(secs) * 1000:.1f} ms, "
            f"{statistics.median(ratios):.2f}× the trivial page (median of {args.rounds} rounds)"
        )


if __name__ == "__main__":
    main()
