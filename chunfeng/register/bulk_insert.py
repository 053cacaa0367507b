"""The insert side of a household import: the validated rows as plain tuples (``row_of``),
where they go while the file is checked (``ThreadSink`` on SQLite, ``CopySink`` on
PostgreSQL), and the households' 一户一档 persons made after them. See bench/README.md.

At this volume the ORM's per-value SQL compilation (``bulk_create``) costs several times the
database's own work, so the rows go in as prepared values: ``COPY … FROM STDIN`` on PostgreSQL
(its ``executemany`` is one round trip per row), one ``INSERT … SELECT … FROM (VALUES …)`` a
chunk on SQLite. Dates and amounts are sent as text, which both read as Django writes them.
The constant columns are adapted once by their fields."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from itertools import chain

from django.db import IntegrityError, connection
from django.utils import timezone

from chunfeng.core.actors import user_or_none

from .models import Household, HouseholdStatus, Person

# SQLite's page cache (2 MB by default) for a big insert: the households' indexes (ID number,
# phone, name) otherwise spill from it and the insert slows down by half.
_IMPORT_CACHE_KIB = 65536

# Valid rows as plain tuples (JSON- and COPY-friendly): the fields of a household in this order.
ROW = ("name", "id_number", "gender", "birth_date", "phone", "employer", "family_size",
         "income", "category", "is_migrant", "is_model_worker", "is_laid_off", "bank_account",
         "id_token")  # fmt: skip


def row_of(f: dict, id_token) -> tuple:
    """The fields in ``ROW`` order, as the sinks send them
    (``id_token``: ``search_tokener("id")``)."""
    return (
        f["name"],
        f["id_number"],
        f["gender"],
        f["birth_date"].isoformat(),
        f["phone"],
        f["employer"],
        f["family_size"],
        str(f["income"]),
        f["category"],
        f["is_migrant"],
        f["is_model_worker"],
        f["is_laid_off"],
        f["bank_account"],
        id_token(f["id_number"]),
    )


class Target:
    """Where an import's households go: the table, its columns (``ROW`` and then the
    constant ones) and the constants' values, adapted once."""

    def __init__(self, unit, actor):
        self.unit = unit
        constants = {
            "unit": unit.pk,
            "created_by": getattr(user_or_none(actor), "pk", None),
            "created_at": timezone.now(),
            "status": HouseholdStatus.ACTIVE,
            "escaped_on": None,
            "escaped_reason": "",
            "causes": [],
            "version": 1,
        }
        meta, qn = Household._meta, connection.ops.quote_name
        self.fixed = tuple(
            meta.get_field(name).get_db_prep_save(value, connection)
            for name, value in constants.items()
        )
        self.created_at = self.fixed[2]
        self.table = qn(meta.db_table)
        self.columns = ", ".join(qn(meta.get_field(n).column) for n in (*ROW, *constants))

    @cached_property
    def fixed_text(self) -> str:
        return "\t".join(_copy_text(value) for value in self.fixed)

    def sink(self) -> CopySink | ThreadSink:
        """Where the valid rows go while the next are checked: ``CopySink`` on PostgreSQL,
        ``ThreadSink`` on SQLite."""
        return self._copy_sink() if connection.vendor == "postgresql" else self._thread_sink()

    def _copy_sink(self) -> CopySink:
        """PostgreSQL: a sink that sends each chunk by COPY while the next is checked. The
        foreign keys are checked as each COPY ends (on the server, while the client checks
        the next rows) rather than all at ``COMMIT``, when the import's transaction is the
        outermost one (the setting lasts until it ends)."""
        from .copy_stream import CopyStream  # psycopg: PostgreSQL only

        if not connection.savepoint_ids:  # the import's own transaction, not a caller's
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return CopySink(CopyStream(connection, self.table, self.columns), self.fixed_text)

    def _thread_sink(self) -> ThreadSink:
        """SQLite: a sink that inserts each chunk on a thread of its own while the next is
        checked (``ThreadSink``)."""
        return ThreadSink(connection, self.values_statements)

    def values_statements(self, rows: list[tuple]) -> list[tuple[str, tuple, int]]:
        """SQLite: the statements that insert ``rows`` (``row_of``), ``(sql, parameters,
        rows)`` each: ``INSERT … SELECT … FROM (VALUES (?, …), …)``, as many rows a statement
        as SQLite takes parameters (32,766 unless it was built otherwise)."""
        per = self._values_per_statement
        parts = [rows[i : i + per] for i in range(0, len(rows), per)]
        return [(self._values_sql(len(p)), values_params(p, self.fixed), len(p)) for p in parts]

    @cached_property
    def _values_per_statement(self) -> int:
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(1, (limit - len(self.fixed)) // len(ROW))

    def _values_sql(self, count: int) -> str:
        """The statement for ``count`` rows (a chunk has the same number each time but the
        last, so SQLite compiles it twice: its module keeps the statements it compiled)."""
        row = f"({', '.join(['?'] * len(ROW))})"
        values = ", ".join(f"column{i + 1}" for i in range(len(ROW)))
        return (
            f"INSERT INTO {self.table} ({self.columns}) SELECT {values}, "
            f"{', '.join(['?'] * len(self.fixed))} FROM (VALUES {', '.join([row] * count)})"
        )


class ThreadSink:
    """SQLite: each chunk of valid rows inserted while the next chunk is checked.

    A chunk goes in as one ``INSERT … SELECT … FROM (VALUES (?, …), …)``, its values bound as
    parameters (``Target.values_statements``): a single step of the statement, during which the
    sqlite3 module releases the GIL, so SQLite writes the rows and maintains the indexes on the
    second core while Python validates the next rows (``executemany`` would take the GIL back
    after every row and wait for the validating thread to give it up; a chunk as one JSON
    array was read again for each of its 14 values a row). The thread uses the import's own
    connection (the DB-API object, inside the import's transaction), never at the same time
    as the validating thread: ``ready()`` waits for it before that thread's next statement on
    it (the 一户一档 questions go on a second connection meanwhile, ``bulk_import.Lookups``)."""

    def __init__(self, db, statements):
        self.db, self.statements = db, statements
        with db.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            self.cache = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")
        self.raw = db.connection  # open now; Django makes it with check_same_thread=False
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="household-import")
        self.pending: Future | None = None

    def ready(self) -> None:
        """The chunk sent last is in (its error raised here, wrapped as Django's)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            with self.db.wrap_database_errors:
                pending.result()

    @staticmethod
    def prepare(row: tuple) -> tuple:
        """A valid row (``row_of``) as ``write`` takes it: as it is."""
        return row

    def write(self, rows: list[tuple]) -> None:
        self.ready()
        self.pending = self.pool.submit(self._insert, self.statements(rows))

    def _insert(self, statements: list[tuple[str, tuple, int]]) -> None:
        cursor = self.raw.cursor()
        try:
            for sql, params, count in statements:
                cursor.execute(sql, params)
                if cursor.rowcount != count:  # cannot happen
                    raise IntegrityError(f"{cursor.rowcount} households for {count} rows")
        finally:
            cursor.close()

    def close(self) -> None:
        """Wait for the thread whatever happened (an error is raised by ``ready``), so that
        the connection is the validating thread's alone again."""
        try:
            self.pending = None
            self.pool.shutdown()  # waits for the chunk in hand
        finally:
            with self.db.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {self.cache}")


def values_params(rows: list[tuple], fixed: tuple) -> tuple:
    """The parameters of a chunk's statement: the constant columns (they come first in its
    text), then each row's values in turn."""
    return (*fixed, *chain.from_iterable(rows))


class CopySink:
    """PostgreSQL: each chunk of valid rows sent by COPY (``copy_stream.CopyStream``)."""

    def __init__(self, stream, fixed_text: str):
        self.stream, self.fixed_text = stream, fixed_text

    def ready(self) -> None:
        """The last chunk's result read: before the import's connection is used again, and at
        the end."""
        self.stream.wait()

    def prepare(self, row: tuple) -> str:
        """A valid row (``row_of``) as its line of COPY text, made as the row is checked, while
        the server writes the chunk before (at ``write`` the server would wait for it)."""
        return copy_line(row, self.fixed_text)

    def write(self, lines: list[str]) -> None:
        self.stream.send(copy_data(lines))

    def close(self) -> None:
        self.stream.close()


def insert_persons(target: Target, saved: int) -> None:
    """The 一户一档 persons of the households this import made (same unit and creation time),
    as one INSERT … SELECT. No household of another import has that creation time to the
    microsecond; if one had, its persons would be made twice and refused (the count below, or
    the unique index of the active ID numbers), not skipped: a probe of the persons for each
    household (``NOT EXISTS``) cost an eighth of this statement for that alone."""
    person = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {person} (id_number, household_id, is_worker, active) "
            f"SELECT h.id_number, h.id, %s, %s FROM {target.table} h "
            f"WHERE h.unit_id = %s AND h.created_at = %s AND h.status = %s",
            [True, True, target.unit.pk, target.created_at, HouseholdStatus.ACTIVE],
        )
        if cursor.rowcount != saved:  # cannot happen unless the table changed under us
            raise IntegrityError(f"{cursor.rowcount} persons for {saved} households")


# COPY's text format: a row is its values separated by tabs, \N for NULL, and a backslash,
# tab, newline or carriage return inside a value escaped with a backslash.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value as COPY's text format writes it (the constant columns, once per import)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "obj"):  # psycopg's Jsonb wrapper of a JSON column's value
        value = json.dumps(value.obj, ensure_ascii=False)
    elif isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def copy_line(r: tuple, fixed_text: str, esc=_COPY_ESCAPES) -> str:
    """A row (``row_of``) as a line of COPY's text format, the constant columns' text after it.

    psycopg's ``write_row`` adapts every value by its type (22 a row, with the JSON column
    serialised each time): several seconds for 200,000 rows, against a fraction of that here,
    where the order of ``ROW`` says what each value is: the free texts (name,
    phone, employer, bank account) escaped; the ID number, token, gender, dates, amounts and
    category as validated (digits, letters, ``-`` and ``.``); the flags as t/f."""
    return (
        f"{r[0].translate(esc)}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4].translate(esc)}\t"
        f"{r[5].translate(esc)}\t{r[6]}\t{r[7]}\t{r[8]}\t{'t' if r[9] else 'f'}\t"
        f"{'t' if r[10] else 'f'}\t{'t' if r[11] else 'f'}\t{r[12].translate(esc)}\t{r[13]}\t"
        f"{fixed_text}\n"
    )


def copy_data(lines: list[str]) -> bytes:
    """A chunk's lines (``copy_line``) as the data of one COPY."""
    return "".join(lines).encode()
