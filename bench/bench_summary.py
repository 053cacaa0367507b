"""Benchmark: the 汇总 service (``rollups.selectors.summary_for``) of a county with N
grassroots unions, each with an approved 附件1 (77 blanks), against the bare SQL aggregate of
the same values (``SUM(value) GROUP BY code`` over the subtree's approved reports).

    python bench/bench_summary.py --units 1000                               # its own SQLite
    python bench/bench_summary.py --units 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_summary

The federation is ``chunfeng.demo.national`` shaped as one city, one county and ``--units``
grassroots unions (no households). Interleaved rounds, median of the per-round ratios; nothing
is asserted. With a PostgreSQL URL the database is dropped and created again first, so its
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

    def service():
        return summary_for(built.campaign, county, cform, "approved").values

    def bare():
        rows = ReportValue.objects.filter(
            report__campaign_form=cform,
            report__unit__path__startswith=county.path,
            report__status=ReportStatus.APPROVED,
        ).exclude(report__unit=county)
        return dict(rows.values("code").annotate(total=Sum("value")).values_list("code", "total"))

    def timed(run) -> float:
        t = time.perf_counter()
        run()
        return time.perf_counter() - t

    summed, expected = service(), bare()
    assert all(summed[c] == expected[c] for c in expected), "the service and SQL disagree"
    print(f"{len(summary_for(built.campaign, county, cform).included):,} reports summed")
    ratios, secs = [], []
    for _ in range(args.rounds):
        b, s = timed(bare), timed(service)
        ratios.append(s / b)
        secs.append((s, b))
    s_med = statistics.median(s for s, _b in secs) * 1000
    b_med = statistics.median(b for _s, b in secs) * 1000
    print(
        f"summary_for / bare aggregate: {statistics.median(ratios):.2f}× "
        f"(median of {args.rounds}; {s_med:.0f} ms vs {b_med:.0f} ms)"
    )


if __name__ == "__main__":
    main()
