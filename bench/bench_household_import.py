"""Benchmark: bulk import of a household list (困难职工名单) from xlsx.

    python bench/bench_household_import.py --rows 200000
    python bench/bench_household_import.py --rows 200000 \
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench

Generates (once, cached in bench/.cache/, which is git-ignored by its own .gitignore) an xlsx of
``--rows`` valid households and a variant with ~2 % invalid rows and ~0.5 % planted in-file
duplicates, then measures, each in a fresh subprocess (so that ru_maxrss belongs to one phase):

  (a) python-calamine alone reading every row of the valid file;
  (b) the full import of the valid file: validation (every field, duplicates in the file,
      一户一档 against the database) and the all-or-nothing commit, into a fresh database;
  (c) the validation of the invalid file: every error reported, nothing committed.

It prints the ratio (b)/(a) (goal ≤ 3×) and peak memory: ru_maxrss of the timed run and the
tracemalloc peak of a separate traced run (tracemalloc slows Python down, so it is not timed;
it does not see python-calamine's own Rust allocations, ru_maxrss does).

Without --database-url it makes its own SQLite database in a temporary directory (via
CHUNFENG_DATA_DIR) and runs ``migrate``; with a PostgreSQL URL it creates that database if
missing, migrates it and empties the register's tables before each import run. Nothing is
asserted: it reports."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
REGIONS = ("210202", "210203", "210204", "210211", "210212", "210213", "210214", "210281",
           "210283")  # fmt: skip
HEADER = ("姓名", "身份证号码", "联系电话", "工作单位", "困难类别", "家庭人口", "家庭月人均收入",
          "是否农民工", "是否劳模")  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
EMPLOYERS = ("大连重工·起重集团有限公司", "大连港集团有限公司", "大连机车车辆有限公司",
             "大连造船厂", "大连市某纺织厂", "中山区某物业公司", "西岗区某商场", "某建筑工地")  # fmt: skip
INVALID_KINDS = ("check", "date", "float", "sci", "000", "name", "category", "income", "bool",
                 "size")  # fmt: skip


# --- the files ---------------------------------------------------------------------------------


def _check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def _id(i: int) -> str:
    """The i-th of a family of distinct valid ID numbers (births 1960–1990s, Dalian regions)."""
    seq, rest = i % 999 + 1, i // 999
    region, day = REGIONS[rest % len(REGIONS)], rest // len(REGIONS)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=day * 397 % 13000 + day // 33)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + _check_digit(first17)


def _row(i: int, rng: random.Random) -> list:
    return [
        rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        _id(i),
        f"13{rng.randrange(100000000, 999999999)}",
        rng.choice(EMPLOYERS),
        rng.choice("BCD"),
        rng.randint(1, 6),
        round(rng.uniform(200, 2000), 2),
        rng.choice(("是", "否")),
        "是" if rng.random() < 0.03 else "否",
    ]


def _spoil(row: list, kind: str) -> None:
    number = row[1]
    if kind == "check":
        row[1] = number[:17] + ("0" if number[17] != "0" else "1")
    elif kind == "date":
        first17 = number[:10] + "13" + number[12:17]
        row[1] = first17 + _check_digit(first17)
    elif kind == "float":
        row[1] = float(number[:17] + "0")
    elif kind == "sci":
        row[1] = f"{float(number[:17]) * 10:.5E}"
    elif kind == "000":
        first17 = number[:15] + "00"
        row[1] = first17 + "0" if _check_digit(first17) != "0" else number[:17] + "1"
    elif kind == "name":
        row[0] = ""
    elif kind == "category":
        row[4] = "E"
    elif kind == "income":
        row[6] = -12.5
    elif kind == "bool":
        row[7] = "也许"
    elif kind == "size":
        row[5] = 0


def generate(path: Path, rows: int, *, invalid: bool) -> dict:
    """Write the file with openpyxl's write-only mode (once; it is cached)."""
    import openpyxl

    rng = random.Random(20120101)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("困难职工名单")
    sheet.append(list(HEADER))
    planted = {"invalid": 0, "duplicates": 0}
    for i in range(rows):
        row = _row(i, rng)
        if invalid and i % 50 == 7:
            _spoil(row, INVALID_KINDS[(i // 50) % len(INVALID_KINDS)])
            planted["invalid"] += 1
        elif invalid and i % 200 == 13 and i > 200:
            row[1] = _id(i - 100)  # the same person as a row 100 rows above
            planted["duplicates"] += 1
        sheet.append(row)
    tmp = path.with_suffix(".tmp")
    book.save(tmp)
    tmp.rename(path)
    path.with_suffix(".json").write_text(json.dumps(planted))
    return planted


def files(rows: int) -> tuple[Path, Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    ignore = CACHE / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    valid, invalid = (
        CACHE / f"households-{rows}-valid.xlsx",
        CACHE / f"households-{rows}-invalid.xlsx",
    )
    for path, bad in ((valid, False), (invalid, True)):
        if not path.exists():
            started = time.perf_counter()
            print(f"generating {path.name} …", flush=True)
            generate(path, rows, invalid=bad)
            print(f"  {time.perf_counter() - started:.1f} s, {path.stat().st_size / 1e6:.1f} MB")
    return valid, invalid


# --- the phases (each in its own process) -------------------------------------------------------


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def phase_read(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    count = 0
    for _row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows():
        count += 1
    return {"seconds": time.perf_counter() - started, "rows": count}


def _empty_register() -> None:
    from django.db import connection

    from chunfeng.register.models import Household

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Household._meta.db_table} RESTART IDENTITY CASCADE")
    else:
        assert not Household.objects.exists(), "the SQLite database should be a fresh copy"


def phase_import(path: Path, *, expect_errors: bool, trace: bool = False) -> dict:
    _django()
    if trace:  # after Django's own imports, so that the peak is the import's
        import tracemalloc

        tracemalloc.start()
    from chunfeng.core.actors import SYSTEM
    from chunfeng.core.errors import ApplicationError
    from chunfeng.orgunits.models import OrgUnit
    from chunfeng.register.import_jobs import import_file, mapping_for_cli
    from chunfeng.register.listfile import HouseholdFile
    from chunfeng.register.models import Household

    _empty_register()
    unit = OrgUnit.objects.get(code="210202")
    started = time.perf_counter()
    file = HouseholdFile(path)
    out: dict = {}
    try:
        check = import_file(file, mapping_for_cli(file), unit=unit, actor=SYSTEM, max_errors=None)
        out |= {"imported": check.valid}
    except ApplicationError as exc:
        out |= {"errors": len(exc.details), "message": exc.message}
    out["seconds"] = time.perf_counter() - started
    out["households_in_db"] = Household.objects.count()
    if expect_errors != ("errors" in out):
        out["unexpected"] = True
    return out


def phase_floor(path: Path) -> dict:
    """The database's own share of an import, with no validation and no Django in the timing:
    the valid rows are checked and prepared first (untimed: the COPY text or the statements and
    parameters the import would send), then only the database's work is timed — the
    households' ``COPY`` (PostgreSQL, 2,000 rows a statement, foreign keys immediate as in the
    import) or ``INSERT … SELECT … FROM (VALUES …)`` on the DB-API connection (SQLite, 2,000
    rows a statement, the fastest of the forms tried: bench/README.md), the 一户一档 persons'
    ``INSERT … SELECT`` and the ``COMMIT``. Any import must do at least this after the sheet
    is loaded (calamine hands out the first row only once the whole sheet is in memory:
    nearly all of (a))."""
    _django()
    from django.db import connection, transaction

    from chunfeng.core.actors import SYSTEM
    from chunfeng.orgunits.models import OrgUnit
    from chunfeng.register.bulk_import import household_import_check
    from chunfeng.register.bulk_insert import Target, copy_data, copy_line, insert_persons
    from chunfeng.register.import_jobs import mapping_for_cli
    from chunfeng.register.listfile import HouseholdFile

    _empty_register()
    target = Target(OrgUnit.objects.get(code="210202"), SYSTEM)
    chunks: list[list[tuple]] = []

    class Keep:  # a sink that keeps the valid rows, as the import's sinks receive them
        def prepare(self, row: tuple) -> tuple:
            return row

        def ready(self) -> None:
            pass

        def write(self, rows: list[tuple]) -> None:
            chunks.append(rows)

    file = HouseholdFile(path)
    mapping = mapping_for_cli(file)
    household_import_check(
        rows=file.records(mapping), columns=file.columns_of(mapping), actor=SYSTEM, sink=Keep()
    )
    rows = sum(len(chunk) for chunk in chunks)
    postgres = connection.vendor == "postgresql"
    if postgres:
        lines = ([copy_line(row, target.fixed_text) for row in chunk] for chunk in chunks)
        prepared: list = [copy_data(chunk) for chunk in lines]
    else:  # the import's own statements (one a chunk, its values bound)
        prepared = [target.values_statements(chunk) for chunk in chunks]
    started = time.perf_counter()
    with transaction.atomic():
        raw = connection.connection.cursor()  # the DB-API cursor: no Django per statement
        if postgres:
            raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for block in prepared:
                with raw.copy(f"COPY {target.table} ({target.columns}) FROM STDIN") as copy:
                    copy.write(block)
        else:
            raw.execute("PRAGMA cache_size = -65536")  # as the import sets it
            for statements in prepared:
                for sql, params, _count in statements:
                    raw.execute(sql, params)
        inserted = time.perf_counter()
        insert_persons(target, rows)
        persons = time.perf_counter()
    committed = time.perf_counter()
    return {
        "seconds": committed - started,
        "households": inserted - started,
        "persons": persons - inserted,
        "commit": committed - persons,
        "rows": rows,
    }


def phase_load(path: Path) -> dict:
    """calamine's load of the sheet alone (before the first row can be read)."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return {"seconds": time.perf_counter() - started}


def child(args) -> None:
    import tracemalloc

    path = Path(args.file)
    if args.phase == "read":
        if args.trace:
            tracemalloc.start()
        out = phase_read(path)
    elif args.phase == "floor":
        out = phase_floor(path)
    elif args.phase == "load":
        out = phase_load(path)
    else:
        out = phase_import(path, expect_errors=args.phase == "validate", trace=args.trace)
    if args.trace:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    out["maxrss_mb"] = _maxrss_mb()
    print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)


# --- the driver -----------------------------------------------------------------------------------


class Database:
    """A fresh database per import run: copies of a migrated SQLite file, or a PostgreSQL
    database migrated once and emptied by each run."""

    def __init__(self, url: str | None, workdir: Path):
        self.url, self.workdir, self.runs = url, workdir, 0
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "chunfeng.config.settings",
            "CHUNFENG_DATA_DIR": str(workdir),
            "PYTHONPATH": str(ROOT),
        }
        self.template = workdir / "template.sqlite3"
        self.env["DATABASE_URL"] = url or f"sqlite:///{self.template}"
        if url and url.startswith("postgres"):
            from bench_duplicates import _create_pg_database  # the bench beside this one

            _create_pg_database(url)  # if missing
        subprocess.run(
            [sys.executable, "-m", "chunfeng", "migrate", "-v", "0"],
            env=self.env,
            check=True,
            cwd=ROOT,
        )
        setup = (
            "from chunfeng.orgunits.models import OrgUnit, UnitKind\n"
            "from chunfeng.orgunits.services import orgunit_create\n"
            "city = OrgUnit.objects.filter(code='210200').first() or orgunit_create("
            "code='210200', name='大连市总工会', kind=UnitKind.CITY, parent=None)\n"
            "OrgUnit.objects.filter(code='210202').exists() or orgunit_create(code='210202', "
            "name='中山区总工会', kind=UnitKind.COUNTY, parent=city)\n"
        )
        subprocess.run(
            [sys.executable, "-m", "chunfeng", "shell", "--no-imports", "-c", setup],
            env=self.env,
            check=True,
            cwd=ROOT,
        )

    def env_for_run(self) -> dict:
        if self.url:
            return self.env
        self.runs += 1
        copy = self.workdir / f"run-{self.runs}.sqlite3"
        shutil.copyfile(self.template, copy)
        return self.env | {"DATABASE_URL": f"sqlite:///{copy}"}

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.url and self.url.startswith("postgres") else "SQLite"


def run_child(phase: str, path: Path, env: dict, *, trace=False) -> dict:
    cmd = [sys.executable, __file__, "--phase", phase, "--file", str(path)]
    if trace:
        cmd.append("--trace")
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.exit(f"{phase} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1][7:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure the database's own insert of the same rows (no validation, no "
        "Django) and calamine's sheet load, in each round",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return child(args)

    valid, invalid = files(args.rows)
    planted = json.loads(invalid.with_suffix(".json").read_text())
    workdir = Path(tempfile.mkdtemp(prefix="chunfeng-bench-"))
    try:
        db = Database(args.database_url, workdir)
        print(
            f"database: {db.label}; rows: {args.rows}; planted in the invalid file: "
            f"{planted['invalid']} invalid rows, {planted['duplicates']} duplicates"
        )
        run_child("read", valid, db.env)  # warm-up: the file in the page cache
        reads, imports, checks, loads, floors = [], [], [], [], []
        for _ in range(args.repeat):  # interleaved: read, import, validate, read, import …
            reads.append(run_child("read", valid, db.env))
            imports.append(run_child("import", valid, db.env_for_run()))
            checks.append(run_child("validate", invalid, db.env_for_run()))
            if args.floor:
                loads.append(run_child("load", valid, db.env))
                floors.append(run_child("floor", valid, db.env_for_run()))
        traced = {}
        if not args.no_trace:
            traced = {
                "import": run_child("import", valid, db.env_for_run(), trace=True),
                "validate": run_child("validate", invalid, db.env_for_run(), trace=True),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    read = min(r["seconds"] for r in reads)
    best_import = min(imports, key=lambda r: r["seconds"])
    best_check = min(checks, key=lambda r: r["seconds"])
    print()
    print(
        f"(a) python-calamine reads {reads[0]['rows']} rows: {read:.2f} s "
        f"(maxrss {max(r['maxrss_mb'] for r in reads):.0f} MB)"
    )
    print(
        f"(b) validate + commit the valid file: {best_import['seconds']:.2f} s = "
        f"{best_import['seconds'] / read:.2f}× (a); imported {best_import.get('imported')}, "
        f"in the database {best_import['households_in_db']}; maxrss "
        f"{max(r['maxrss_mb'] for r in imports):.0f} MB"
        + (f", tracemalloc peak {traced['import']['tracemalloc_peak_mb']:.1f} MB" if traced else "")
    )
    print(
        f"(c) validate the invalid file: {best_check['seconds']:.2f} s = "
        f"{best_check['seconds'] / read:.2f}× (a); {best_check.get('errors')} errors reported, "
        f"in the database {best_check['households_in_db']}; maxrss "
        f"{max(r['maxrss_mb'] for r in checks):.0f} MB"
        + (
            f", tracemalloc peak {traced['validate']['tracemalloc_peak_mb']:.1f} MB"
            if traced
            else ""
        )
    )
    import_ratios = [i["seconds"] / r["seconds"] for r, i in zip(reads, imports, strict=True)]
    check_ratios = [c["seconds"] / r["seconds"] for r, c in zip(reads, checks, strict=True)]
    print(
        f"median of {len(reads)} per-round ratios (each round: read, import, validate): "
        f"import {statistics.median(import_ratios):.2f}× the read, "
        f"validation {statistics.median(check_ratios):.2f}×"
    )
    print(
        f"all import runs: {[round(r['seconds'], 2) for r in imports]} s; "
        f"validation runs: {[round(r['seconds'], 2) for r in checks]} s"
    )
    if floors:
        _print_floor(reads, loads, floors)
    if any(r.get("unexpected") for r in imports + checks):
        print("WARNING: an import did not end as expected:", imports, checks)


def _print_floor(reads: list[dict], loads: list[dict], floors: list[dict]) -> None:
    """The least any import can take, as a multiple of the read: the sheet's load (no row
    before it) plus the database's own insert, commit included, with nothing else."""
    med = statistics.median
    rounds = list(zip(reads, loads, floors, strict=True))
    load = med(lo["seconds"] for _, lo, _ in rounds)
    load_ratio = med(lo["seconds"] / r["seconds"] for r, lo, _ in rounds)
    db = {k: med(f[k] for *_, f in rounds) for k in ("seconds", "households", "persons", "commit")}
    db_ratio = med(f["seconds"] / r["seconds"] for r, _, f in rounds)
    both = med((lo["seconds"] + f["seconds"]) / r["seconds"] for r, lo, f in rounds)
    print(
        f"floor (median of {len(rounds)} rounds): sheet load {load:.2f} s = {load_ratio:.2f}× "
        f"the read; the database alone {db['seconds']:.2f} s (households "
        f"{db['households']:.2f}, persons {db['persons']:.2f}, commit {db['commit']:.2f}) = "
        f"{db_ratio:.2f}× the read; load + database = {both:.2f}× the read"
    )


if __name__ == "__main__":
    main()
