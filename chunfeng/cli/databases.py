"""The two kinds of database a backup is taken from and restored into, reached through their
own drivers (not Django's connection), so that a backup is one consistent snapshot and a
restore can fill any database named by a ``DATABASES`` entry.

Both kinds answer the same questions: take a snapshot into a file (with its ``Summary`` —
every table's row count and a checksum of its rows, as of that snapshot), say whether a
database holds data, restore a snapshot, and summarise a database. A checksum is compared only
with one of the same kind: SQLite's is the SHA-256 of the rows as Python's sqlite3 reads them
in rowid order (which a restore by the backup API keeps); PostgreSQL's sums the MD5 of each
row's text, computed by the server — a sum, so that the order of the rows does not matter
(pg_restore does not keep their physical order)."""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .sealed import BackupError

# Tables whose rows do not count as data when deciding whether a database is empty: what
# `migrate` and `chunfeng serve` put into a new database (the form definitions), and the
# scheduler's and the queue's bookkeeping.
BOOKKEEPING = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "django_session",
        "formdefs_formversion",
        "jobs_scheduledrun",
        "django_tasks_database_dbtaskresult",
    }
)
BATCH = 2000  # rows hashed at a time (the batches are the same for the same rows)


@dataclass
class Summary:
    """Every table's row count and checksum, and the migrations applied."""

    tables: dict[str, dict] = field(default_factory=dict)  # name → {"rows": n, "checksum": hex}
    migrations: dict[str, list[str]] = field(default_factory=dict)  # app → names applied

    @property
    def checksum(self) -> str:
        text = "\n".join(f"{t}:{v['rows']}:{v['checksum']}" for t, v in sorted(self.tables.items()))
        return hashlib.sha256(text.encode()).hexdigest()

    def differences(self, other: Summary) -> list[str]:
        """Tables whose count or checksum differ (named with both counts)."""
        names = sorted(set(self.tables) | set(other.tables))
        return [
            f"{n}（{self.tables.get(n, {}).get('rows', '无此表')} → "
            f"{other.tables.get(n, {}).get('rows', '无此表')} 行）"
            for n in names
            if self.tables.get(n) != other.tables.get(n)
        ]


def migrations_of(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _sqlite_errors(method):
    """sqlite3's errors (a file that is no database, a locked one, a full disk) said plainly."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise BackupError(f"{self.describe()}：{exc}", code="database_error") from None

    return wrapper


class SQLiteDatabase:
    kind = "sqlite"
    dump_name = "database.sqlite3"

    def __init__(self, settings_entry: dict):
        self.path = Path(settings_entry["NAME"])

    def describe(self) -> str:
        return f"SQLite 数据库 {self.path}"

    def _connect(self, path: Path | None = None) -> sqlite3.Connection:
        return sqlite3.connect(path or self.path, timeout=20)

    @_sqlite_errors
    def snapshot(self, dest: Path) -> Summary:
        """SQLite's online backup API copies the whole database in one step, under one read
        lock: a consistent copy while the server goes on writing (WAL)."""
        if not self.path.is_file():
            raise BackupError(f"找不到数据库文件 {self.path}", code="no_database")
        source, copy = self._connect(), self._connect(dest)
        try:
            source.backup(copy)
        finally:
            source.close()
        try:
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            return self._summary(copy)
        finally:
            copy.close()

    @_sqlite_errors
    def summary(self) -> Summary:
        connection = self._connect()
        try:
            return self._summary(connection)
        finally:
            connection.close()

    def _tables(self, connection: sqlite3.Connection) -> list[str]:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        return [name for (name,) in rows]

    def _summary(self, connection: sqlite3.Connection) -> Summary:
        summary = Summary()
        for table in self._tables(connection):
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            count, digest = 0, hashlib.sha256()
            while batch := cursor.fetchmany(BATCH):
                count += len(batch)
                digest.update(repr(batch).encode())
            summary.tables[table] = {"rows": count, "checksum": digest.hexdigest()[:32]}
        if "django_migrations" in summary.tables:
            summary.migrations = migrations_of(
                connection.execute("SELECT app, name FROM django_migrations")
            )
        return summary

    @_sqlite_errors
    def has_data(self) -> bool:
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return False
        connection = self._connect()
        try:
            return any(
                connection.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]
                for table in self._tables(connection)
                if table not in BOOKKEEPING
            )
        finally:
            connection.close()

    @_sqlite_errors
    def restore(self, dump: Path) -> None:
        """The backup API again, the other way: the target's pages are replaced whole, in one
        transaction (nothing is changed if it fails)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        source, target = self._connect(dump), self._connect()
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")  # as Chunfeng opens it
        finally:
            source.close()
            target.close()
