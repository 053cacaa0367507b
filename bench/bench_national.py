"""Benchmark: a national-shaped federation (``chunfeng.demo.national``) and what a province sees
of it, each against its baseline in interleaved rounds (median of the per-round ratios).

    python bench/bench_national.py --households 20000                       # its own SQLite
    python bench/bench_national.py --cities 10 --counties 10 --grassroots 100 --households 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_national_1m
    # measure again on the same data, without generating it again:
    python bench/bench_national.py --reuse --database-url postgres://…/chunfeng_bench_national_1m
    python bench/bench_national.py --households 100000 --data-dir /tmp/bench_nat_sqlite  # kept
    python bench/bench_national.py --reuse --data-dir /tmp/bench_nat_sqlite

Full national size (a bigger machine): ``--cities 30 --counties 100 --grassroots 100
--households 5500000``. With a PostgreSQL URL the database is dropped and created again first
(unless ``--reuse``), so its name must contain "bench". ``--generate-only`` stops after the
generation. Logged in as a viewer of the province it measures, printing the load average
beside each figure:

* the top-level 汇总: ``summary_for`` (the roll-up service) and the 汇总 page (Django's test
  Client) against the bare SQL computing the same totals (a recursive walk down to the first
  approved unit of each branch, then ``SUM(value) … GROUP BY code`` over their reports); the
  page and its 表实相符 comparison on request (``records/`` through htmx) against
  ``/bench/trivial-page/``;
* the completeness page against ``/bench/trivial-page/``;
* the register list, first page, a middle page and the last page (by key, ``before=``) and the
  exact count on request (``?count=exact`` through htmx) against ``/bench/trivial-page/``; the bare
  ``COUNT(*)`` of the province's files, alone;
* ``duplicates_scan`` over the campaign against the bare ``GROUP BY id_number HAVING
  COUNT(*) > 1``.

Nothing is asserted (the service and the bare aggregate are checked to agree)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_entry_page import _add_trivial_views, _fresh_pg_database  # noqa: E402


def setup(url: str | None, *, reuse: bool, data_dir: str | None) -> None:
    if url:
        os.environ["DATABASE_URL"] = url
        if not reuse:
            _fresh_pg_database(url)
    else:
        os.environ.pop("DATABASE_URL", None)
        if data_dir:
            Path(data_dir).mkdir(parents=True, exist_ok=True)
            if not reuse:
                for name in Path(data_dir).glob("*.sqlite3*"):
                    name.unlink()
        os.environ["CHUNFENG_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="chunfeng-nat-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if url and "bench" not in connection.settings_dict["NAME"]:
        sys.exit("refusing: the PostgreSQL database name must contain 'bench'")
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    _add_trivial_views()


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def timed(run) -> float:
    t = time.perf_counter()
    run()
    return time.perf_counter() - t


def compare(label: str, run, base, rounds: int, base_label: str) -> None:
    """``run`` against ``base`` in interleaved rounds; the median of per-round ratios."""
    run(), base()  # warm-up
    ratios, secs, bases = [], [], []
    for _ in range(rounds):
        b = timed(base)
        s = timed(run)
        ratios.append(s / b)
        secs.append(s)
        bases.append(b)
    print(
        f"{label:34s} {statistics.median(secs) * 1000:9.1f} ms = "
        f"{statistics.median(ratios):6.2f}× {base_label} ({statistics.median(bases) * 1000:.1f} ms)"
        f"  [median of {rounds}; {load()}]",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--counties", type=int, default=10, help="per city")
    parser.add_argument("--grassroots", type=int, default=100, help="per county")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--data-dir", help="SQLite: keep the database here (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="measure the data already built")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--only", default="summary,completeness,register,count,duplicates",
        help="comma-separated parts to measure",
    )  # fmt: skip
    args = parser.parse_args()
    setup(args.database_url, reuse=args.reuse, data_dir=args.data_dir)

    from django.db import connection
    from django.test import Client

    from chunfeng.accounts.models import User
    from chunfeng.accounts.services import user_create
    from chunfeng.campaigns.models import Campaign, CampaignForm
    from chunfeng.demo.national import ROOT_CODE, Shape, national_build
    from chunfeng.funds.duplicates import duplicates_scan
    from chunfeng.funds.models import PaymentLine
    from chunfeng.orgunits.models import OrgUnit
    from chunfeng.register.models import Household
    from chunfeng.register.selectors import households_matching
    from chunfeng.reports.models import Report, ReportStatus, ReportValue
    from chunfeng.rollups.selectors import summary_for

    start = time.perf_counter()

    def say(text: str) -> None:
        print(f"  {time.perf_counter() - start:7.1f} s  {text}  [{load()}]", flush=True)

    if args.reuse and OrgUnit.objects.filter(code=ROOT_CODE).exists():
        root = OrgUnit.objects.get(code=ROOT_CODE)
        campaign = Campaign.objects.filter(owner=root).order_by("pk").first()  # not the previous
        user = User.objects.get(username="bench_viewer")
    else:
        shape = Shape(args.cities, args.counties, args.grassroots, args.households)
        print(f"database: {connection.vendor}; {shape.reporting_units:,} reporting units")
        built = national_build(shape=shape, say=say)
        say("built")
        root, campaign = built.root, built.campaign
        user = user_create(username="bench_viewer", unit=root, role="viewer", password="x" * 12)
    if args.generate_only:
        return
    units = OrgUnit.objects.filter(path__startswith=root.path).count() - 1
    total = Household.objects.count()
    lines = PaymentLine.objects.count()
    print(
        f"database: {connection.vendor}; {units:,} reporting units, {total:,} households, "
        f"{lines:,} payment lines [{load()}]",
        flush=True,
    )
    client = Client()
    client.force_login(user)
    only = set(args.only.split(","))

    def get(url: str, **headers):
        def run():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    trivial = get("/bench/trivial-page/")
    cform = CampaignForm.objects.get(campaign=campaign, code="F1")

    # The SQL that computes the same totals: a walk down from the province that stops at the
    # first approved unit of each branch (its report holds its subtree's figures), then
    # SUM … GROUP BY code over those units' reports (two statements: joined into one, the
    # planner expected 230,000 walked units where there were 10 and hashed every value). With
    # every unit approved, that is the cities' reports; the service finds the same
    # contributors among all 10,000+ units.
    walk_sql = f"""
        WITH RECURSIVE approved AS (
            SELECT id AS report_id, unit_id FROM {Report._meta.db_table}
            WHERE campaign_form_id = %s AND status = %s
        ), walk(id) AS (
            SELECT id FROM {OrgUnit._meta.db_table} WHERE parent_id = %s
            UNION ALL
            SELECT c.id FROM {OrgUnit._meta.db_table} c JOIN walk w ON c.parent_id = w.id
            WHERE w.id NOT IN (SELECT unit_id FROM approved)
        )
        SELECT a.report_id FROM approved a JOIN walk w ON w.id = a.unit_id"""

    def bare_sum():
        with connection.cursor() as cursor:
            cursor.execute(walk_sql, [cform.pk, ReportStatus.APPROVED, root.pk])
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT code, SUM(value) FROM {ReportValue._meta.db_table} "
                f"WHERE report_id IN ({', '.join(['%s'] * len(ids))}) GROUP BY code",
                ids,
            )
            return {code: Decimal(str(total)) for code, total in cursor.fetchall()}

    if "summary" in only:
        summed = summary_for(campaign, root, cform, "approved").values
        expected = bare_sum()
        assert expected and all(summed[c] == expected[c] for c in expected), "they disagree"
        compare(
            "汇总 service (summary_for)",
            lambda: summary_for(campaign, root, cform, "approved"),
            bare_sum, args.rounds, "the bare SQL",
        )  # fmt: skip
        summary_url = f"/campaigns/{campaign.pk}/summary/{root.code}/F1/"
        page = get(summary_url)
        compare("汇总 page", page, bare_sum, args.rounds, "the bare SQL")
        compare("汇总 page", page, trivial, args.rounds, "the trivial page")
        # 表实相符 on request: the records' figures over the province's whole subtree
        records = get(summary_url + "records/", HTTP_HX_REQUEST="true")
        compare(
            "汇总 comparison (records/, htmx)", records, trivial, args.rounds, "the trivial page"
        )
    if "completeness" in only:
        compare(
            "completeness page",
            get(f"/campaigns/{campaign.pk}/completeness/"),
            trivial, args.rounds, "the trivial page",
        )  # fmt: skip
    if "register" in only:
        newest = Household.objects.order_by("-pk").values_list("pk", flat=True)
        middle = newest[total // 2] if total else 0
        last = Household.objects.order_by("pk").values_list("pk", flat=True)[51]
        for label, url in (
            ("register list, first page", "/register/"),
            ("register list, middle page", f"/register/?before={middle}"),
            ("register list, last page", f"/register/?before={last}"),
        ):
            compare(label, get(url), trivial, args.rounds, "the trivial page")
        exact = get("/register/?count=exact", HTTP_HX_REQUEST="true")
        compare(
            "register list, exact count (htmx)", exact, trivial, args.rounds, "the trivial page"
        )
    if "count" in only:
        matching = households_matching(user)
        compare(
            "bare COUNT(*) of the list",
            matching.count, trivial, args.rounds, "the trivial page",
        )  # fmt: skip
    if "duplicates" in only:

        def bare_group_by():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id_number FROM {PaymentLine._meta.db_table} WHERE campaign_id = %s "
                    "AND cancelled = %s GROUP BY id_number HAVING COUNT(*) > 1",
                    [campaign.pk, False],
                )
                return cursor.fetchall()

        compare(
            "duplicates_scan, whole federation",
            lambda: duplicates_scan(campaign, root),
            bare_group_by, args.rounds, "the bare GROUP BY id_number",
        )  # fmt: skip


if __name__ == "__main__":
    main()
