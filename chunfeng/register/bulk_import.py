"""Importing a household list, all or nothing: streaming validation of its rows (each with
``validation.clean_household``; 一户一档 per chunk of IDs; duplicates inside the file) and an
insert with executemany/COPY. See bench/README.md."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import marshal
import tempfile
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_id, search_tokener
from chunfeng.core.rules import can_edit_households

from .models import Household, HouseholdStatus, Person
from .onefile import second_file_message
from .validation import clean_household

IMPORT_CHUNK = 2000  # rows per 一户一档 query and per bulk insert


def holders_by_id(id_numbers) -> dict:
    """``{id_number: unit}`` for those of ``id_numbers`` already on an active file: one query
    (written as SQL so that 2,000 numbers cost no ORM work each; ``WHERE p.active`` as in the
    partial unique index, which the database then uses)."""
    numbers = list(id_numbers)
    if not numbers:
        return {}
    qn = connection.ops.quote_name
    person, household = qn(Person._meta.db_table), qn(Household._meta.db_table)
    if connection.vendor == "postgresql":  # one array parameter parses faster than 2,000
        among, params = "= ANY(%s)", [numbers]
    else:
        among, params = f"IN ({', '.join(['%s'] * len(numbers))})", numbers
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.{qn('id_number')}, h.{qn('unit_id')} FROM {person} p "
            f"JOIN {household} h ON h.{qn('id')} = p.{qn('household_id')} "
            f"WHERE p.{qn('active')} AND p.{qn('id_number')} {among}",
            params,
        )
        found = dict(cursor.fetchall())
    if not found:
        return {}
    units = Household._meta.get_field("unit").related_model.objects.in_bulk(set(found.values()))
    return {number: units[unit] for number, unit in found.items()}


def _id_key(number: str) -> int:
    """An 18-character ID number as an int (200,000 of them take little memory as keys)."""
    return int(number[:17]) * 11 + (10 if number[17] == "X" else int(number[17]))


# Spooled rows (marshal-friendly tuples): the fields of a household in this order.
_SPOOL = ("name", "id_number", "gender", "birth_date", "phone", "employer", "family_size",
          "income", "category", "is_migrant", "is_model_worker", "is_laid_off", "bank_account",
          "id_token")  # fmt: skip


@dataclass
class ImportCheck:
    """What the validation of an import found. ``errors`` holds the first problems as
    ``{row, column, message}`` (row numbers of the file); ``error_count`` counts all."""

    rows: int = 0
    valid: int = 0
    bad_rows: int = 0
    error_count: int = 0
    errors: list[dict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.valid > 0

    def summary(self) -> str:
        if self.rows == 0:
            return "文件中没有数据行"
        if self.error_count:
            return f"共 {self.rows} 行，其中 {self.bad_rows} 行有错误（共 {self.error_count} 处）"
        return f"共 {self.rows} 行，全部检查通过"


def household_import_check(
    *,
    rows,
    columns: dict[str, str],
    actor=None,
    spool=None,
    on_progress=None,
    max_errors: int | None = 10_000,
    preview: int = 20,
) -> ImportCheck:
    """Validate household rows ``(row number, {field: raw value})`` streaming: every field,
    duplicates inside the file and 一户一档 against the database (one query per chunk). Only
    the ID numbers seen and the errors are kept; valid rows go to ``spool`` (a binary file)
    chunk by chunk when it is given. ``columns`` names each field's column for the errors;
    ``actor`` decides what a 一户一档 conflict says of a file kept elsewhere (contract (d))."""
    actor_unit = actor.unit if getattr(actor, "unit_id", None) else None
    check = ImportCheck()
    seen: dict[int, int] = {}
    chunk: list[tuple[int, dict]] = []
    chunk_errors: list[tuple[int, str, str]] = []
    bad: set[int] = set()
    id_token = search_tokener("id")

    def flush():
        holders = holders_by_id(f["id_number"] for _, f in chunk) if chunk else {}
        good = []
        for row, fields in chunk:
            unit = holders.get(fields["id_number"])
            if unit is not None:
                message = second_file_message(fields["id_number"], unit, actor_unit)
                chunk_errors.append((row, "id_number", message))
                bad.add(row)
            elif row not in bad:
                good.append(fields)
        chunk_errors.sort(key=lambda e: e[0])
        for row, name, message in chunk_errors:
            check.error_count += 1
            if max_errors is None or len(check.errors) < max_errors:
                column = columns.get(name, name)
                check.errors.append({"row": row, "column": column, "message": message})
        check.bad_rows += len(bad)
        check.valid += len(good)
        for fields in good[: max(0, preview - len(check.preview))]:
            check.preview.append(_preview_row(fields))
        if spool is not None and good:
            _spool_write(spool, [_spooled(f, id_token) for f in good])
        chunk.clear()
        chunk_errors.clear()
        bad.clear()
        if on_progress is not None:
            on_progress(check.rows)

    for row, data in rows:
        check.rows += 1
        fields, errors = clean_household(data)
        number = fields.get("id_number")
        if number is not None:
            key = _id_key(number)
            first = seen.setdefault(key, row)
            if first != row:
                errors.append(
                    (
                        "id_number",
                        f"身份证号码 {mask_id(number)} 与第 {first} 行重复："
                        "同一人只能建一份档案（一户一档）",
                    )
                )
        if errors:
            bad.add(row)
            chunk_errors.extend((row, name, message) for name, message in errors)
        if number is not None:
            chunk.append((row, fields))
        if len(chunk) >= IMPORT_CHUNK or len(chunk_errors) >= IMPORT_CHUNK:
            flush()
    flush()
    return check


def _preview_row(f: dict) -> dict:
    migrant = f["is_migrant"]
    return {
        "name": f["name"],
        "id_number": mask_id(f["id_number"]),
        "gender": "男" if f["gender"] == "M" else "女",
        "birth_date": f["birth_date"].isoformat(),
        "phone": f["phone"],
        "employer": f["employer"],
        "category": f["category"],
        "family_size": f["family_size"],
        "income": str(f["income"]),
        "is_migrant": migrant,
        "is_new_generation_migrant": migrant and f["birth_date"].year >= 1980,
        "is_model_worker": f["is_model_worker"],
        "is_laid_off": f["is_laid_off"],
    }


def _spool_write(spool, rows: list[tuple]) -> None:
    """A chunk of rows as one length-prefixed marshal block (marshal.load on a file reads in
    small pieces and is slow)."""
    data = marshal.dumps(rows)
    spool.write(len(data).to_bytes(8, "little"))
    spool.write(data)


def _spool_read(spool) -> list[tuple] | None:
    size = spool.read(8)
    return marshal.loads(spool.read(int.from_bytes(size, "little"))) if size else None


def _spooled(f: dict, id_token) -> tuple:
    """The fields in ``_SPOOL`` order, as marshal writes them and the INSERT takes them
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


def household_import(
    *,
    unit,
    rows,
    columns: dict[str, str],
    actor,
    source: str = "",
    on_progress=None,
    max_errors: int | None = 10_000,
) -> ImportCheck:
    """All or nothing: validate every row first (``household_import_check``); when any is bad,
    raise ``ApplicationError`` (code ``import_invalid``) whose details are ``{row, column,
    message}`` and save nothing. Otherwise insert the households and their 一户一档 persons in
    chunks inside one transaction. ``on_progress(stage, done)`` reports the rows "check"ed,
    "checked" once all are (before the transaction) and the rows "save"d."""
    if not can_edit_households(actor, unit):
        raise NotPermitted(_("您不能为%(unit)s建立困难职工档案") % {"unit": unit.name})
    if not unit.active:
        raise ApplicationError(
            _("%(unit)s已撤销，不能再建档") % {"unit": unit.name}, code="retired_unit"
        )
    report = on_progress or (lambda stage, done: None)
    with tempfile.TemporaryFile() as spool:
        check = household_import_check(
            rows=rows,
            columns=columns,
            actor=actor,
            spool=spool,
            max_errors=max_errors,
            preview=0,
            on_progress=lambda done: report("check", done),
        )
        if check.error_count:
            raise ApplicationError(
                _("%(summary)s，未导入任何数据。请改正后重新导入。") % {"summary": check.summary()},
                code="import_invalid",
                details=check.errors,
            )
        if not check.valid:
            raise ApplicationError(_("文件中没有可导入的数据行"), code="import_empty")
        report("checked", check.valid)
        spool.seek(0)
        try:
            with transaction.atomic():
                saved = _insert_spooled(spool, unit=unit, actor=actor, report=report)
                audit_record(
                    actor=actor, action="household.import", target=unit, count=saved, source=source
                )
        except IntegrityError:
            raise ApplicationError(
                "导入过程中，有人同时为文件中的职工建立了档案，本次未导入任何数据。"
                "请重新导入，系统会指出是哪些行。",
                code="import_conflict",
            ) from None
    return check


def _insert_spooled(spool, *, unit, actor, report) -> int:
    """Insert the spooled households chunk by chunk, then their 一户一档 persons.

    At this volume the ORM's per-value SQL compilation (``bulk_create``) costs several times
    the database's own work, so the rows go in as prepared values: ``COPY … FROM STDIN`` on
    PostgreSQL (its ``executemany`` is one round trip per row), ``executemany`` on SQLite.
    Dates and amounts are spooled as text, which both read as Django writes them. The
    constant columns are adapted once by their fields; the persons are one INSERT … SELECT
    of the households this import made (same unit and creation time, no person yet)."""
    qn = connection.ops.quote_name
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
    meta = Household._meta
    fixed = tuple(
        meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in constants.items()
    )
    fixed_text = "\t".join(_copy_text(value) for value in fixed)
    table = qn(meta.db_table)
    columns = ", ".join(qn(meta.get_field(n).column) for n in (*_SPOOL, *constants))
    saved = 0
    with connection.cursor() as cursor, _sqlite_cache(cursor):
        while (chunk := _spool_read(spool)) is not None:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(_copy_block(chunk, fixed_text))
            else:
                marks = ", ".join(["%s"] * (len(_SPOOL) + len(fixed)))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [row + fixed for row in chunk],
                )
            saved += len(chunk)
            report("save", saved)
        person = qn(Person._meta.db_table)
        cursor.execute(
            f"INSERT INTO {person} (id_number, household_id, is_worker, active) "
            f"SELECT h.id_number, h.id, %s, %s FROM {table} h "
            f"WHERE h.unit_id = %s AND h.created_at = %s AND h.status = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {person} p WHERE p.household_id = h.id)",
            [True, True, unit.pk, fixed[2], HouseholdStatus.ACTIVE],
        )
        if cursor.rowcount != saved:  # cannot happen unless the table changed under us
            raise IntegrityError(f"{cursor.rowcount} persons for {saved} households")
    return saved


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


def _copy_block(rows: list[tuple], fixed_text: str) -> bytes:
    """Spooled rows as lines of COPY's text format, the constant columns' text after each.

    psycopg's ``write_row`` adapts every value by its type (22 a row, with the JSON column
    serialised each time): several seconds for 200,000 rows, against a fraction of that here,
    where the spool's order says what each value is (``_SPOOL``): the free texts (name,
    phone, employer, bank account) escaped; the ID number, token, gender, dates, amounts and
    category as validated (digits, letters, ``-`` and ``.``); the flags as t/f."""
    esc = _COPY_ESCAPES
    lines = [
        f"{r[0].translate(esc)}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4].translate(esc)}\t"
        f"{r[5].translate(esc)}\t{r[6]}\t{r[7]}\t{r[8]}\t{'t' if r[9] else 'f'}\t"
        f"{'t' if r[10] else 'f'}\t{'t' if r[11] else 'f'}\t{r[12].translate(esc)}\t{r[13]}\t"
        f"{fixed_text}\n"
        for r in rows
    ]
    return "".join(lines).encode()


@contextlib.contextmanager
def _sqlite_cache(cursor, kib: int = 65536):
    """SQLite's page cache (2 MB by default) raised for a big insert: the household indexes
    (ID number, phone, name) otherwise spill from it and the insert slows down by half."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    before = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(before)}")
