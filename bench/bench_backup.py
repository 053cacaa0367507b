"""Benchmark: `chunfeng backup` and `chunfeng restore` of the demo database, then of the demo
database with ``--households`` more households (and their 一户一档 persons).

    python bench/bench_backup.py --households 200000
    python bench/bench_backup.py --households 200000 \
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_backup

Without --database-url it makes its own SQLite database in a temporary directory; with a
PostgreSQL URL (its name must contain 'bench') it empties that database's schema, creating the
database when missing, and restores into a second one named ``<name>_restore``. The
households go in through the register's own bulk import (``household_import``: validation,
COPY/executemany), in one unit. Each backup and restore runs in this process through the same
functions as the commands (scrypt included); the restore goes into an empty database and
checks every table's row count and checksum against the manifest. Nothing is asserted."""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(url: str | None) -> Path:
    work = Path(tempfile.mkdtemp(prefix="chunfeng-bench-backup-"))
    os.environ["CHUNFENG_DATA_DIR"] = str(work / "data")
    if url:
        if "bench" not in url.rsplit("/", 1)[-1]:
            sys.exit("refusing: the PostgreSQL database name must contain 'bench' (it is emptied)")
        os.environ["DATABASE_URL"] = url
        _pg(url, fresh=True)
        _pg(url + "_restore", fresh=True)
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    import django  # once the environment names the database

    django.setup()
    return work


def _pg(url: str, *, fresh: bool) -> None:
    import dj_database_url  # only with a PostgreSQL URL
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {"host": cfg["HOST"] or "127.0.0.1", "port": cfg["PORT"] or 5432}
    params |= {"user": cfg["USER"], "password": cfg["PASSWORD"] or None}
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            c.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    if fresh:
        with psycopg.connect(**params, dbname=cfg["NAME"], autocommit=True) as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def _check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def _rows(n: int):
    """``(row, fields)`` as the import reads them: distinct valid ID numbers (region 210299,
    which the demo does not use), births spread over 1960–1999."""
    rng = random.Random(2012)
    for i in range(n):
        day, seq = divmod(i, 999)
        birth = f"{1960 + day % 40}{1 + day // 40 % 12:02d}{1 + day // 480 % 28:02d}"
        first17 = f"210299{birth}{seq + 1:03d}"
        yield (
            i + 2,
            {
                "name": "王李张刘陈"[i % 5] + "伟芳娜秀英"[i // 5 % 5],
                "id_number": first17 + _check_digit(first17),
                "phone": f"13{i:09d}",
                "employer": "大连某厂",
                "category": "BCD"[i % 3],
                "family_size": str(1 + i % 5),
                "income": f"{rng.uniform(200, 2000):.2f}",
                "is_migrant": "是" if i % 4 == 0 else "否",
                "is_model_worker": "否",
            },
        )


def _measure(label: str, work: Path, target_db: dict) -> None:
    from django.conf import settings  # set up by now

    from chunfeng.cli.backup import Installation, backup_create, backup_restore
    from chunfeng.cli.installation import known_migrations, this_installation
    from chunfeng.cli.sealed import Secret

    secret = Secret.passphrase("bench passphrase, long enough")
    path = work / f"{label}.backup"
    started = time.perf_counter()
    manifest = backup_create(installation=this_installation(), path=path, secret=secret)
    took = time.perf_counter() - started
    rows = sum(t["rows"] for t in manifest["tables"].values())
    households = manifest["tables"]["register_household"]["rows"]
    target = Installation(
        database=target_db,
        media_root=work / f"restored-{label}" / "media",
        secret_key_file=work / f"restored-{label}" / "secret_key",
    )
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _pg(os.environ["DATABASE_URL"] + "_restore", fresh=True)  # an empty database
    else:
        Path(target_db["NAME"]).unlink(missing_ok=True)
    started = time.perf_counter()
    backup_restore(
        installation=target,
        path=path,
        secret=secret,
        force=False,
        known_migrations=known_migrations(),
    )
    restored = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    kind = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"| {kind} | {label} | {households:,} households, {rows:,} rows | "
        f"backup {took:.2f} s | {size:.1f} MB | restore {restored:.2f} s |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = _setup(args.database_url)

    from django.conf import settings  # set up by _setup
    from django.core.management import call_command

    from chunfeng.core.actors import SYSTEM
    from chunfeng.demo.services import demo_load
    from chunfeng.formdefs.services import formdefs_sync
    from chunfeng.orgunits.models import OrgUnit
    from chunfeng.register.bulk_import import household_import

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    formdefs_sync()
    demo_load()
    target_db = dict(settings.DATABASES["default"])
    if args.database_url:
        target_db["NAME"] += "_restore"
    else:
        target_db["NAME"] = str(work / "restored.sqlite3")
    _measure("demo", work, target_db)

    started = time.perf_counter()
    unit = OrgUnit.objects.get(code="210202")
    household_import(unit=unit, rows=_rows(args.households), columns={}, actor=SYSTEM)
    print(f"(imported {args.households:,} households in {time.perf_counter() - started:.1f} s)")
    _measure(f"demo+{args.households // 1000}k", work, target_db)


if __name__ == "__main__":
    main()
