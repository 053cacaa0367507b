"""Benchmark: duplicate detection (不重复) over a large register and payment ledger.

    python bench/bench_duplicates.py                       # 1,000,000 households, 2,000,000 lines
    python bench/bench_duplicates.py --households 100000 --lines 200000
    python bench/bench_duplicates.py --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_dup

Without --database-url (or DATABASE_URL) it makes its own SQLite database in a temporary
directory (via CHUNFENG_DATA_DIR) and runs ``migrate``; with a PostgreSQL URL it creates the
database if missing, migrates it and empties the funds and register tables first (so the name
must contain "bench", a guard against pointing it at real data).

It generates a federation (1 city, 10 districts, 100 grassroots unions each), ``--households``
households with distinct valid ID numbers and ``--lines`` payment lines in two campaigns, with
fast bulk inserts (executemany on SQLite, COPY on PostgreSQL). In the campaign under test every
household is paid once by its grassroots union, and there are planted duplicates:

  * exact:      1 % of households paid a second time by their district (same ID number);
  * name+birth: 0.1 % of households share name and birth date with another one (different ID,
                another district), both paid;
  * phone:      0.1 % share a phone number with another household, both paid;
  * cancelled:  0.5 % have an extra, cancelled line (must not count).

The remaining lines go to the previous year's campaign (noise the queries must skip). Then it
times ``duplicates_scan`` over the whole federation and over one district, and single
``line_add`` calls (their duplicate check alone too). Nothing is asserted: it prints figures."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISTRICTS = 10
GRASSROOTS = 100  # per district
BIRTH_DAYS = 21915  # 1950-01-01 + 60 years
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉珍志红凤云梅海波鹏飞斌宇浩亮林"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CREATED = "2011-12-01 00:00:00"
CHUNK = 50_000
PLANTED_DISTRICT = 2  # i % 100 == 42 → the exact duplicates are all in the third district


def check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


# ---- the data, computed from the row number (nothing big is kept in memory) -----------------


class Plan:
    def __init__(self, households: int, lines: int):
        self.n, self.total_lines = households, lines
        self.base = dt.date(1950, 1, 1)

    # households -------------------------------------------------------------------------
    def district(self, i: int) -> int:
        return i % DISTRICTS

    def grassroots(self, i: int) -> int:
        return (i // DISTRICTS) % GRASSROOTS

    def _name(self, i: int) -> str:
        h = (i * 2654435761) % 4294967296
        given = GIVEN[h % len(GIVEN)] + (GIVEN[(h >> 8) % len(GIVEN)] if h & 1 else "")
        return SURNAMES[(h >> 16) % len(SURNAMES)] + given

    def _birth(self, i: int) -> dt.date:
        return self.base + dt.timedelta(days=(i // DISTRICTS) % BIRTH_DAYS)

    def _phone(self, i: int) -> str:
        return "" if i % 10 == 7 else f"13{i:09d}"

    def is_name_twin(self, i: int) -> bool:  # shares name and birth with i - 1
        return i >= 1 and (i - 1) % 1000 == 3

    def is_phone_twin(self, i: int) -> bool:  # shares the phone of i - 1
        return i >= 1 and (i - 1) % 1000 == 5

    def id_number(self, i: int) -> str:
        seq = (i // (DISTRICTS * BIRTH_DAYS)) % 1000
        first17 = f"2102{self.district(i) + 1:02d}{self._birth(i):%Y%m%d}{seq:03d}"
        return first17 + check_digit(first17)

    def name(self, i: int) -> str:
        return self._name(i - 1) if self.is_name_twin(i) else self._name(i)

    def birth(self, i: int) -> dt.date:
        return self._birth(i - 1) if self.is_name_twin(i) else self._birth(i)

    def phone(self, i: int) -> str:
        return self._phone(i - 1) if self.is_phone_twin(i) else self._phone(i)

    # lines ------------------------------------------------------------------------------
    def is_exact(self, i: int) -> bool:
        return i % 100 == 42

    def is_cancelled_extra(self, i: int) -> bool:
        return i % 200 == 99

    def target_lines(self) -> int:
        return sum(1 + self.is_exact(i) + self.is_cancelled_extra(i) for i in range(self.n))

    def expected(self) -> dict[str, int]:
        return {
            "exact": sum(self.is_exact(i) for i in range(self.n)),
            "name_birth": sum(self.is_name_twin(i) for i in range(self.n)),
            "phone": sum(self.is_phone_twin(i) and self._phone(i - 1) != "" for i in range(self.n)),
        }


# ---- setting up Django and the database -----------------------------------------------------


def setup_django(url: str | None, data_dir: str | None = None) -> str:
    if url:
        os.environ["DATABASE_URL"] = url
        _create_pg_database(url)
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CHUNFENG_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="chunfeng-bench-dup-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if url and "bench" not in connection.settings_dict["NAME"]:
        sys.exit("refusing: the PostgreSQL database name must contain 'bench' (it is emptied)")
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")
    return connection.vendor


def _create_pg_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    conninfo = dict(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
    )
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
            print(f"created database {cfg['NAME']}")


def empty_tables() -> None:
    from django.db import connection

    from chunfeng.accounts.models import User
    from chunfeng.campaigns.models import Campaign
    from chunfeng.funds.models import DuplicateFlag, PaymentBatch, PaymentLine, Receipt, Visit
    from chunfeng.orgunits.models import OrgUnit
    from chunfeng.register.models import Household, IdAccess, Member, Person

    models = [
        DuplicateFlag,
        PaymentLine,
        PaymentBatch,
        Receipt,
        Visit,
        IdAccess,
        Member,
        Person,
        Household,
    ]
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            tables = ", ".join(m._meta.db_table for m in models)
            c.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for m in models:
                c.execute(f"DELETE FROM {m._meta.db_table}")
    User.objects.filter(username__startswith="bench_").delete()
    Campaign.objects.filter(name__startswith="BENCH").delete()
    for depth in (2, 1, 0):  # leaves first: OrgUnit.parent is PROTECT
        OrgUnit.objects.filter(code__startswith="B2102", depth=depth).delete()


# ---- generation -----------------------------------------------------------------------------


def build_tree():
    from chunfeng.orgunits.models import OrgUnit, UnitKind

    city = OrgUnit.objects.create(
        code="B2102", name="BENCH 市总工会", kind=UnitKind.CITY, path="/B2102/", depth=0
    )
    districts = OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                code=f"B2102{d + 1:02d}",
                name=f"BENCH 第{d + 1}区总工会",
                kind=UnitKind.COUNTY,
                parent=city,
                path=f"/B2102/B2102{d + 1:02d}/",
                depth=1,
            )
            for d in range(DISTRICTS)
        ]
    )
    grassroots = OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                code=f"{dist.code}{g:03d}",
                name=f"{dist.name}第{g}基层工会",
                kind=UnitKind.GRASSROOTS,
                parent=dist,
                path=f"{dist.path}{dist.code}{g:03d}/",
                depth=2,
            )
            for dist in districts
            for g in range(GRASSROOTS)
        ]
    )
    by_district = [
        [u.pk for u in grassroots[d * GRASSROOTS : (d + 1) * GRASSROOTS]] for d in range(DISTRICTS)
    ]
    return city, districts, by_district


def build_campaigns(city, districts):
    from chunfeng.campaigns.models import Campaign
    from chunfeng.funds.models import PaymentBatch

    prev = Campaign.objects.create(
        name="BENCH 2011年春风行动",
        owner=city,
        period_start=dt.date(2010, 12, 20),
        period_end=dt.date(2011, 2, 1),
        deadline=dt.date(2011, 1, 8),
    )
    target = Campaign.objects.create(
        name="BENCH 2012年春风行动",
        owner=city,
        period_start=dt.date(2011, 12, 20),
        period_end=dt.date(2012, 1, 22),
        deadline=dt.date(2012, 1, 8),
    )
    target.recipients.set(districts)
    prev.recipients.set(districts)
    return prev, target, PaymentBatch


def _batches(campaign, unit_ids, label):
    from chunfeng.funds.models import PaymentBatch

    made = PaymentBatch.objects.bulk_create(
        [PaymentBatch(unit_id=u, campaign=campaign, name=f"{label}") for u in unit_ids]
    )
    return {b.unit_id: b.pk for b in made}


def household_rows(plan: Plan, grassroots_ids):
    from chunfeng.core.personal import search_token

    for i in range(plan.n):
        unit = grassroots_ids[plan.district(i)][plan.grassroots(i)]
        number = plan.id_number(i)
        yield (
            i + 1,
            unit,
            plan.name(i),
            plan.id_number(i),
            "M" if i % 2 else "F",
            plan.birth(i).isoformat(),
            plan.phone(i),
            "",
            3,
            "800.00",
            "BCD"[i % 3],
            False,
            False,
            False,
            "[]",
            f"6222{i:012d}",
            "active",
            None,
            "",
            CREATED,
            None,
            search_token("id", number),
            1,
        )


HOUSEHOLD_COLS = ("id", "unit_id", "name", "id_number", "gender", "birth_date", "phone",
                  "employer", "family_size", "income", "category", "is_migrant",
                  "is_model_worker", "is_laid_off", "causes", "bank_account", "status",
                  "escaped_on", "escaped_reason", "created_at", "created_by_id", "id_token",
                  "version")  # fmt: skip
LINE_COLS = ("id", "batch_id", "household_id", "unit_id", "campaign_id", "id_number", "name",
             "amount", "kind", "goods", "aid_type", "paid_on", "cancelled", "id_token",
             "recipient", "result", "result_reason")  # fmt: skip


def line_rows(plan: Plan, grassroots_ids, district_ids, target, prev, batches):
    """The lines, with the columns added to the model since the bench was written (the ID
    number's search token, who was paid, the bank's result)."""
    from chunfeng.core.personal import search_token
    from chunfeng.funds.models import Recipient

    for row in _line_rows(plan, grassroots_ids, district_ids, target, prev, batches):
        yield (*row, search_token("id", row[5]), Recipient.HOUSEHOLD, "", "")


def _line_rows(plan: Plan, grassroots_ids, district_ids, target, prev, batches):
    pk = 0
    target_count = 0
    for i in range(plan.n):
        g = grassroots_ids[plan.district(i)][plan.grassroots(i)]
        d = district_ids[plan.district(i)]
        number, name = plan.id_number(i), plan.name(i)
        pk += 1
        yield (
            pk,
            batches[(target.pk, g)],
            i + 1,
            g,
            target.pk,
            number,
            name,
            "500.00",
            "cash",
            "",
            "condolence",
            "2012-01-05",
            False,
        )
        target_count += 1
        if plan.is_exact(i):
            pk += 1
            yield (
                pk,
                batches[(target.pk, d)],
                i + 1,
                d,
                target.pk,
                number,
                name,
                "800.00",
                "cash",
                "",
                "living",
                "2012-01-10",
                False,
            )
        if plan.is_cancelled_extra(i):
            pk += 1
            yield (
                pk,
                batches[(target.pk, g)],
                i + 1,
                g,
                target.pk,
                number,
                name,
                "100.00",
                "goods",
                "米面油",
                "living",
                "2012-01-06",
                True,
            )
    rest = max(plan.total_lines - pk, 0)
    for k in range(rest):
        i = k % plan.n
        g = grassroots_ids[plan.district(i)][plan.grassroots(i)]
        pk += 1
        yield (
            pk,
            batches[(prev.pk, g)],
            i + 1,
            g,
            prev.pk,
            plan.id_number(i),
            plan.name(i),
            "400.00",
            "cash",
            "",
            "condolence",
            "2011-01-20",
            False,
        )


def bulk_insert(table: str, cols: tuple[str, ...], rows) -> int:
    from django.db import connection, transaction

    count = 0
    with transaction.atomic(), connection.cursor() as c:
        if connection.vendor == "postgresql":
            with c.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            raw = c.cursor  # the sqlite3 cursor: '?' placeholders, no Django wrapping per row
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    raw.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                raw.executemany(sql, chunk)
                count += len(chunk)
    return count


def reset_sequences(models) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as c:
        for m in models:
            t = m._meta.db_table
            c.execute(
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {t}))"
            )


def analyze() -> None:
    """Statistics for the planner (and on PostgreSQL the visibility map, for index-only scans):
    the state autovacuum reaches soon after a bulk load."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# ---- measurements ---------------------------------------------------------------------------


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t


def bare_group_by(target) -> int:
    """The baseline: the database's own ``GROUP BY id_number HAVING count(*) > 1`` over the
    campaign's non-cancelled lines (the keys only, nothing joined back)."""
    from django.db import connection

    from chunfeng.funds.models import PaymentLine

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number FROM {PaymentLine._meta.db_table} "
            "WHERE campaign_id = %s AND cancelled = %s GROUP BY id_number HAVING COUNT(*) > 1",
            [target.pk, False],
        )
        return len(cursor.fetchall())


def bench_scan(target, city, districts, plan, rounds: int = 5):
    from chunfeng.funds.duplicates import duplicates_scan

    expected = plan.expected()
    for label, root in (("whole federation", city), ("one district", districts[PLANTED_DISTRICT])):
        result, secs = timed(duplicates_scan, target, root)
        lines = sum(len(g.lines) for gs in result.groups.values() for g in gs)
        print(
            f"duplicates_scan [{label}, warm-up]: {secs:.2f} s — groups {result.counts}"
            f" ({lines} lines)"
        )
        if root is city:
            print(f"  planted: {expected} (name+birth may also find natural twins)")
    bare_group_by(target)  # warm-up
    for label, kinds in (
        ("whole scan (3 kinds)", ("exact", "name_birth", "phone")),
        ("exact alone", ("exact",)),
        ("name_birth alone", ("name_birth",)),
        ("phone alone", ("phone",)),
    ):
        ratios, bares, scans = [], [], []
        for _ in range(rounds):  # interleaved: bare, scan, bare, scan …
            groups, bare = timed(bare_group_by, target)
            _r, scan = timed(duplicates_scan, target, city, kinds=kinds)
            bares.append(bare)
            scans.append(scan)
            ratios.append(scan / bare)
        print(
            f"  {label:22s} {statistics.median(scans):.3f} s vs bare GROUP BY "
            f"{statistics.median(bares):.3f} s ({groups:,} keys): median of {rounds} per-round "
            f"ratios {statistics.median(ratios):.2f}×"
        )


def bench_line_add(target, districts, plan, samples: int):
    import random

    from django.db import transaction

    from chunfeng.accounts.models import Role, User
    from chunfeng.funds.duplicates import duplicates_flag
    from chunfeng.funds.models import DuplicateFlag, PaymentBatch
    from chunfeng.funds.services import line_add

    rng = random.Random(7)
    district = districts[PLANTED_DISTRICT]
    # kept between runs (--reuse): the history's rows of its earlier lines point to it
    user, _ = User.objects.get_or_create(
        username="bench_filler", defaults={"unit": district, "role": Role.FILLER}
    )
    batch = PaymentBatch.objects.create(unit=district, campaign=target, name="BENCH 单笔录入")
    picks = [i for i in range(plan.n) if plan.district(i) == PLANTED_DISTRICT]
    chosen = rng.sample(picks, min(samples, len(picks)))
    chosen[:3] = [i for i in picks if plan.is_exact(i)][:3]  # some already paid twice
    totals, checks, flagged = [], [], 0
    for i in chosen:
        line, secs = timed(
            line_add,
            batch=batch,
            id_number=plan.id_number(i),
            amount="300",
            aid_type="condolence",
            paid_on=dt.date(2012, 1, 15),
            actor=user,
        )
        totals.append(secs)
        flagged += len(line.new_flags)
        with transaction.atomic():
            # line_add has flagged the line already: a flag is once per pair
            # (``flag_once_per_pair``), so the check is timed again on a line without flags
            DuplicateFlag.objects.filter(line=line).delete()
            _flags, secs = timed(duplicates_flag, [line])
            checks.append(secs)
            transaction.set_rollback(True)
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.1f} ms, max {max(xs) * 1000:.1f} ms"  # noqa: E731
    print(f"line_add (whole service, {len(totals)} calls, {flagged} flags raised): {ms(totals)}")
    print(f"  its duplicate check alone (3 indexed look-ups + insert): {ms(checks)}")


def explain(target, plan) -> None:
    """The plans of the per-line look-ups (to see that they use the indexes)."""
    from chunfeng.funds.models import PaymentLine

    base = PaymentLine.objects.filter(campaign=target, cancelled=False)
    for label, qs in (
        ("exact", base.filter(id_number=plan.id_number(42))),
        (
            "name+birth",
            base.filter(household__name=plan.name(3), household__birth_date=plan.birth(3)),
        ),
        ("phone", base.filter(household__phone=plan.phone(5))),
    ):
        print(f"-- plan {label}:\n{qs.explain()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=20, help="single line_add calls to time")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--explain", action="store_true", help="print the per-line query plans")
    parser.add_argument("--data-dir", help="SQLite: keep the database in this directory")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip the generation when the database already holds these sizes",
    )
    args = parser.parse_args()

    vendor = setup_django(args.database_url, args.data_dir)
    from django.db import connection

    print(f"database: {vendor} {connection.settings_dict['NAME']}")
    plan = Plan(args.households, args.lines)
    if args.reuse and (found := existing(plan)):
        print("reusing the generated data")
        measure(plan, *found, explain_plans=args.explain, samples=args.samples)
        return
    empty_tables()
    t0 = time.perf_counter()
    city, districts, grassroots_ids = build_tree()
    prev, target, _ = build_campaigns(city, districts)
    district_ids = [d.pk for d in districts]
    batches = {}
    for campaign, units in (
        (target, [u for ids in grassroots_ids for u in ids] + district_ids),
        (prev, [u for ids in grassroots_ids for u in ids]),
    ):
        for unit_id, batch_id in _batches(campaign, units, campaign.name).items():
            batches[(campaign.pk, unit_id)] = batch_id

    from chunfeng.funds.models import PaymentLine
    from chunfeng.register.models import Household

    rows, secs = timed(
        bulk_insert, Household._meta.db_table, HOUSEHOLD_COLS, household_rows(plan, grassroots_ids)
    )
    print(f"households: {rows:,} inserted in {secs:.1f} s ({rows / secs:,.0f}/s)")
    rows, secs = timed(
        bulk_insert,
        PaymentLine._meta.db_table,
        LINE_COLS,
        line_rows(plan, grassroots_ids, district_ids, target, prev, batches),
    )
    print(
        f"payment lines: {rows:,} inserted in {secs:.1f} s ({rows / secs:,.0f}/s); "
        f"{plan.target_lines():,} in the campaign under test"
    )
    reset_sequences([Household, PaymentLine])
    _r, secs = timed(analyze)
    print(f"(VACUUM) ANALYZE: {secs:.1f} s; generation total {time.perf_counter() - t0:.1f} s")

    measure(plan, city, districts, target, explain_plans=args.explain, samples=args.samples)


def existing(plan: Plan):
    """(city, districts, target campaign) when the database holds data of these sizes."""
    from chunfeng.campaigns.models import Campaign
    from chunfeng.funds.models import PaymentBatch, PaymentLine
    from chunfeng.orgunits.models import OrgUnit
    from chunfeng.register.models import Household

    target = Campaign.objects.filter(name="BENCH 2012年春风行动").first()
    if target is None or Household.objects.count() != plan.n:
        return None
    if PaymentLine.objects.count() < plan.total_lines:
        return None
    PaymentBatch.objects.filter(name="BENCH 单笔录入").delete()
    city = OrgUnit.objects.get(code="B2102")
    return city, list(OrgUnit.objects.filter(parent=city).order_by("code")), target


def measure(plan, city, districts, target, *, explain_plans: bool, samples: int) -> None:
    if explain_plans:
        explain(target, plan)
    bench_scan(target, city, districts, plan)
    bench_line_add(target, districts, plan, samples)

    from chunfeng.funds.coverage import coverage
    from chunfeng.funds.ledger import ledger_figures

    _r, secs = timed(ledger_figures, target, city)
    print(f"(also) ledger_figures over the federation: {secs:.2f} s")
    result, secs = timed(coverage, target, city)
    print(
        f"(also) coverage counts over the federation: {secs:.2f} s — "
        f"{result.root.helped:,}/{result.root.on_file:,} helped"
    )


if __name__ == "__main__":
    main()
