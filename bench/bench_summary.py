"""Benchmark: the 汇总 of a county with N grassroots unions, each with an approved 附件1
(77 blanks) — the service (``rollups.selectors.summary_for``), the 汇总 page and the API's
answer — against the bare SQL aggregate of the same values (``SUM(value) GROUP BY code`` over
the subtree's approved reports) and a trivial page.

    python bench/bench_summary.py --units 1000                               # its own SQLite
    python bench/bench_summary.py --units 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_summary

The federation is ``chunfeng.demo.national`` shaped as one city, one county and ``--units``
grassroots unions (no households). The page and the API are asked through Django's test
client, logged in as the county's viewer (the API with its token); the trivial page is
``/bench/trivial-page/`` (login required, renders ``base.html``). Interleaved rounds (bare,
service, trivial page, page, API, …), median of the per-round ratios; nothing is asserted. With a PostgreSQL URL the database is dropped and created again first, so its
name must contain "bench"."""

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
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from chunfeng.accounts.services import token_create, user_create
    from chunfeng.campaigns.models import CampaignForm
    from chunfeng.demo.national import Shape, national_build
    from chunfeng.orgunits.models import OrgUnit, UnitKind
    from chunfeng.reports.models import ReportStatus, ReportValue
    from chunfeng.rollups.selectors import summary_for

    start = time.perf_counter()
    built = national_build(shape=Shape(1, 1, args.units, 0))
    print(f"database: {connection.vendor}; built in {time.perf_counter() - start:.1f} s")
    county = OrgUnit.objects.get(kind=UnitKind.COUNTY)
    cform = CampaignForm.objects.get(campaign=built.campaign, code="F1")
    viewer = user_create(
        username="bench_viewer", unit=county, role="viewer", password="bench-pass-123"
    )
    client = Client()
    client.force_login(viewer)
    token = token_create(user=viewer, name="bench")
    page_url = f"/campaigns/{built.campaign.pk}/summary/{county.code}/F1/"
    api_url = f"/api/v1/campaigns/{built.campaign.pk}/summary/{county.code}/F1"

    def service():
        return summary_for(built.campaign, county, cform, "approved").values

    def bare():
        rows = ReportValue.objects.filter(
            report__campaign_form=cform,
            report__unit__path__startswith=county.path,
            report__status=ReportStatus.APPROVED,
        ).exclude(report__unit=county)
        return dict(rows.values("code").annotate(total=Sum("value")).values_list("code", "total"))

    def page():
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        return response

    def api():
        response = client.get(api_url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.status_code
        return response

    def trivial_page():
        assert client.get("/bench/trivial-page/").status_code == 200

    def timed(run) -> float:
        t = time.perf_counter()
        run()
        return time.perf_counter() - t

    summed, expected = service(), bare()
    assert all(summed[c] == expected[c] for c in expected), "the service and SQL disagree"
    summary = summary_for(built.campaign, county, cform)
    print(f"{summary.counts.included:,} reports summed")
    for name, run in (("page", page), ("API", api)):
        run()  # warm-up: per-process caches (form definitions, session, templates)
        with CaptureQueriesContext(connection) as ctx:
            size = len(run().content)
        print(f"{name}: {len(ctx.captured_queries)} queries, {size / 1024:.0f} KB")
    with CaptureQueriesContext(connection) as ctx:
        service()
    print(f"service: {len(ctx.captured_queries)} queries")
    runs = {"bare": bare, "service": service, "trivial": trivial_page, "page": page, "api": api}
    secs: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            secs[name].append(timed(run))
    for name, values in secs.items():
        print(f"  {name:8s} median {statistics.median(values) * 1000:.0f} ms")
    for top, bottom in (
        ("service", "bare"),
        ("page", "bare"),
        ("api", "bare"),
        ("page", "trivial"),
        ("api", "trivial"),
    ):
        ratios = [t / b for t, b in zip(secs[top], secs[bottom], strict=True)]
        print(
            f"  {top} / {bottom}: {statistics.median(ratios):.2f}× "
            f"(median of {args.rounds} per-round ratios)"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
