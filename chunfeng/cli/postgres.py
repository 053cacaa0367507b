"""PostgreSQL for backups: ``pg_dump`` in its custom format and ``pg_restore`` (Debian's
``postgresql-client`` of the server's major version or newer), with the row counts and
checksums taken in the very snapshot that pg_dump copies."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

from .databases import BOOKKEEPING, BackupError, Summary, migrations_of

# the text of a row does not depend on the session's settings
SESSION = (
    "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; "
    "SET extra_float_digits = 1; SET bytea_output = 'hex'"
)
# objects an extension brings are the extension's to drop
NOT_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s.oid AND d.deptype = 'e')"
MOD = 1 << 128  # the two sums of the MD5s' 64-bit halves, as one 128-bit number
_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
}


class PostgresDatabase:
    kind = "postgresql"
    dump_name = "database.pgdump"

    def __init__(self, settings_entry: dict):
        self.entry = settings_entry
        self.name = settings_entry["NAME"]

    def describe(self) -> str:
        return f"PostgreSQL 数据库 {self.name}"

    # --- connections and tools ---------------------------------------------------------------

    def _params(self) -> dict:
        e = self.entry
        params = {"dbname": self.name, "host": e.get("HOST") or None, "user": e.get("USER")}
        params |= {"port": e.get("PORT") or None, "password": e.get("PASSWORD") or None}
        params |= {k: v for k, v in (e.get("OPTIONS") or {}).items() if k in _OPTION_ENV}
        return {k: v for k, v in params.items() if v}

    def _connect(self, **kwargs) -> psycopg.Connection:
        try:
            connection = psycopg.connect(**self._params(), **kwargs)
        except psycopg.OperationalError as exc:
            raise BackupError(f"连不上{self.describe()}：{exc}", code="no_database") from None
        connection.execute(SESSION)
        connection.commit()  # the settings stay for the session; the next transaction is new
        return connection

    def _env(self) -> dict:
        env = dict(os.environ, PGDATABASE=self.name)
        env |= {var: str(self.entry[key]) for key, var in _ENV.items() if self.entry.get(key)}
        options = self.entry.get("OPTIONS") or {}
        env |= {var: str(options[k]) for k, var in _OPTION_ENV.items() if options.get(k)}
        return env

    def _tool(self, name: str, server_version: int) -> str:
        """pg_dump/pg_restore/psql, of the server's major version or newer."""
        path = shutil.which(name)
        if path is None:
            raise BackupError(
                f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）",
                code="no_tool",
            )
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        found = re.search(r"(\d+)", version)
        server_major = server_version // 10000
        if found is None or int(found.group(1)) < server_major:
            raise BackupError(
                f"{name} 的版本（{found.group(1) if found else '未知'}）比数据库服务器"
                f"（{server_major}）旧：请安装 postgresql-client-{server_major}",
                code="old_tool",
            )
        return path

    def _run(self, args: list[str], what: str) -> None:
        done = subprocess.run(args, env=self._env(), capture_output=True, text=True)
        if done.returncode:
            problem = done.stderr.strip()[-2000:]
            raise BackupError(f"{what}失败，数据库未改动：{problem}", code="tool_failed")

    # --- the questions every kind answers --------------------------------------------------

    def snapshot(self, dest: Path) -> Summary:
        """One REPEATABLE READ transaction exports its snapshot; pg_dump copies exactly that
        snapshot while this process counts and sums the rows of the same one, side by side."""
        with self._connect() as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            version = connection.info.server_version
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            pg_dump = self._tool("pg_dump", version)
            dump = subprocess.Popen(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}"],
                env=self._env(),
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                summary = self._summary(connection)
            finally:
                _out, errors = dump.communicate()
            connection.rollback()
        if dump.returncode:
            raise BackupError(f"pg_dump 失败：{errors.strip()[-2000:]}", code="tool_failed")
        return summary

    def summary(self) -> Summary:
        with self._connect() as connection:
            return self._summary(connection)

    def _tables(self, connection: psycopg.Connection) -> list[str]:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [name for (name,) in rows]

    def _summary(self, connection: psycopg.Connection) -> Summary:
        """Per table, in the server: the count, and the sums of the two 64-bit halves of the
        MD5 of each row's text (exact, as numeric)."""
        summary = Summary()
        for table in self._tables(connection):
            query = sql.SQL(
                "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)"
                "::bigint::numeric), 0), coalesce(sum(('x' || substr(md5(t::text), 17, 16))"
                "::bit(64)::bigint::numeric), 0) FROM {} t"
            ).format(sql.Identifier(table))
            count, high, low = connection.execute(query).fetchone()
            total = (int(high) * (1 << 64) + int(low)) % MOD
            summary.tables[table] = {"rows": count, "checksum": f"{total:032x}"}
        if "django_migrations" in summary.tables:
            rows = connection.execute("SELECT app, name FROM django_migrations").fetchall()
            summary.migrations = migrations_of(rows)
        return summary

    def has_data(self) -> bool:
        with self._connect() as connection:
            for table in self._tables(connection):
                if table in BOOKKEEPING:
                    continue
                query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table))
                if connection.execute(query).fetchone()[0]:
                    return True
        return False

    def restore(self, dump: Path) -> None:
        """All of it or nothing, in one transaction. Into a schema that holds nothing,
        pg_restore itself; otherwise psql runs the drops of whatever the schema holds (tables,
        views, sequences, functions) and then what pg_restore makes of the dump, together."""
        with self._connect() as connection:
            version = connection.info.server_version
            drops = self._drop_statements(connection)
        pg_restore = [self._tool("pg_restore", version), "--no-owner", "--no-acl"]
        if not drops:
            self._run(
                [
                    *pg_restore,
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    self.name,
                    str(dump),
                ],
                f"恢复到{self.describe()}",
            )
            return
        with tempfile.TemporaryFile() as restore_errors:
            restore = subprocess.Popen(
                [*pg_restore, "--file=-", str(dump)],
                env=self._env(),
                stdout=subprocess.PIPE,
                stderr=restore_errors,
            )
            psql = subprocess.run(
                [
                    self._tool("psql", version),
                    "-X",
                    "-q",
                    "--single-transaction",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    drops,
                    "-f",
                    "-",
                ],
                env=self._env(),
                stdin=restore.stdout,
                capture_output=True,
                text=True,
            )
            restore.stdout.close()
            restore.wait()
            restore_errors.seek(0)
            problem = restore_errors.read().decode(errors="replace") or psql.stderr
        if restore.returncode or psql.returncode:
            raise BackupError(
                f"恢复到{self.describe()}失败，数据库未改动：{problem.strip()[-2000:]}",
                code="tool_failed",
            )

    def _drop_statements(self, connection: psycopg.Connection) -> str:
        kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
        rows = connection.execute(
            "SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
            f"AND c.relkind = ANY(%s) AND {NOT_EXTENSION % 'c'} ORDER BY c.relkind DESC, c.relname",
            [list(kinds)],
        ).fetchall()
        statements = [
            sql.SQL("DROP {} IF EXISTS {} CASCADE").format(sql.SQL(kinds[k]), sql.Identifier(n))
            for k, n in rows
        ]
        functions = connection.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
            f"AND {NOT_EXTENSION % 'p'}"
        ).fetchall()
        drop_function = sql.SQL("DROP FUNCTION IF EXISTS {} CASCADE")
        statements += [drop_function.format(sql.SQL(f)) for (f,) in functions]
        return "; ".join(s.as_string(connection) for s in statements)
