"""Importing a household list, all or nothing: streaming validation of its rows (each with
``validation.clean_household``; 一户一档 per chunk of IDs; duplicates inside the file) and an
insert with executemany/COPY. See bench/README.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_id, search_tokener
from chunfeng.core.rules import can_edit_households

from .bulk_insert import Target, insert_persons, row_of
from .models import Household, Person
from .onefile import second_file_message
from .validation import clean_household, quick_row

IMPORT_CHUNK = 2000  # rows per 一户一档 query and per bulk insert


def holders_by_id(id_numbers, db=connection) -> dict:
    """``{id_number: unit id}`` for those of ``id_numbers`` already on an active file: one query
    on ``db`` (written as SQL so that 2,000 numbers cost no ORM work each; ``WHERE p.active`` as
    in the partial unique index, which the database then uses)."""
    numbers = list(id_numbers)
    if not numbers:
        return {}
    qn = db.ops.quote_name
    person, household = qn(Person._meta.db_table), qn(Household._meta.db_table)
    if db.vendor == "postgresql":  # one array parameter parses faster than 2,000
        among, params = "= ANY(%s)", [numbers]
    else:
        among, params = f"IN ({', '.join(['%s'] * len(numbers))})", numbers
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT p.{qn('id_number')}, h.{qn('unit_id')} FROM {person} p "
            f"JOIN {household} h ON h.{qn('id')} = p.{qn('household_id')} "
            f"WHERE p.{qn('active')} AND p.{qn('id_number')} {among}",
            params,
        )
        return dict(cursor.fetchall())


class Lookups:
    """Where an import asks 一户一档 of each chunk. Its own transaction's writes are
    households only until the end (the persons come last), so the question needs nothing of
    them: when that transaction is the outermost one, a second connection (``separate``) asks
    it while the import's connection is busy with the chunk before (PostgreSQL's COPY,
    SQLite's insert thread), and the database never waits for the question. That connection
    is opened outside the process's pool, if one is configured (a pool of one would make the
    import wait for itself), and only for the import. Inside a caller's transaction (whose
    writes only the import's connection sees), on an in-memory SQLite database (a second
    connection would open another, empty one), or when no second connection can be had (the
    server's ``max_connections`` reached), the import's connection asks it, after the chunk
    before is in."""

    def __init__(self, separate=None):
        self.separate = separate

    @classmethod
    def for_import(cls) -> Lookups:
        """A second connection when the import's transaction is the outermost one (inside it)."""
        memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        if connection.savepoint_ids or memory:
            return cls()
        separate = connection.copy()  # its own deep copy of the settings
        separate.settings_dict["OPTIONS"].pop("pool", None)
        try:
            separate.ensure_connection()
        except DatabaseError:
            separate.close()
            return cls()
        return cls(separate)

    def holders(self, numbers, sink=None) -> dict:
        """``{id_number: unit}`` of the active files among ``numbers``."""
        if self.separate is None and sink is not None:
            sink.ready()
        found = holders_by_id(numbers, self.separate or connection)
        if not found:
            return {}
        if sink is not None:  # the units' names, on the import's connection: rare
            sink.ready()
        units = Household._meta.get_field("unit").related_model.objects.in_bulk(set(found.values()))
        return {number: units[unit] for number, unit in found.items()}

    def close(self) -> None:
        if self.separate is not None:
            self.separate.close()


def _id_key(number: str) -> int:
    """An 18-character ID number as an int (200,000 of them take little memory as keys)."""
    return int(number[:17]) * 11 + (10 if number[17] == "X" else int(number[17]))


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
    sink=None,
    on_progress=None,
    max_errors: int | None = 10_000,
    preview: int = 20,
    lookups: Lookups | None = None,
) -> ImportCheck:
    """Validate household rows ``(row number, {field: raw value})`` streaming: every field,
    duplicates inside the file and 一户一档 against the database (one query per chunk). Only
    the ID numbers seen and the errors are kept; while no error is found, valid rows go to
    ``sink`` chunk by chunk when it is given (``ThreadSink``, ``CopySink``: ``prepare(row)`` as
    a row is checked, ``ready()`` before the import's connection is used, ``write(prepared
    rows)`` after the chunk's 一户一档 query, which ``lookups`` asks). ``columns`` names each
    field's column for the errors; ``actor`` decides what a 一户一档 conflict says of a file
    kept elsewhere (contract (d))."""
    actor_unit = actor.unit if getattr(actor, "unit_id", None) else None
    check = ImportCheck()
    seen: dict[int, int] = {}
    # (row, ID number, the row's data, its fields: None for a row that took ``quick_row``)
    chunk: list[tuple[int, str, dict, dict | None]] = []
    chunk_errors: list[tuple[int, str, str]] = []
    bad: set[int] = set()
    # each valid row as the sink sends it, made as the row is checked: meanwhile the database
    # writes the chunk before, and would otherwise wait for it at ``write``
    prepared: dict[int, object] = {}
    id_token = search_tokener("id") if sink is not None else _no_token
    lookups = lookups or Lookups()

    def flush():
        numbers = [number for _, number, *_ in chunk]
        holders = lookups.holders(numbers, sink) if numbers else {}
        good = []
        for row, number, data, fields in chunk:
            unit = holders.get(number)
            if unit is not None:
                message = second_file_message(number, unit, actor_unit)
                chunk_errors.append((row, "id_number", message))
                bad.add(row)
            elif row not in bad:
                good.append((row, data, fields))
        chunk_errors.sort(key=lambda e: e[0])
        for row, name, message in chunk_errors:
            check.error_count += 1
            if max_errors is None or len(check.errors) < max_errors:
                column = columns.get(name, name)
                check.errors.append({"row": row, "column": column, "message": message})
        check.bad_rows += len(bad)
        check.valid += len(good)
        for _row, data, fields in good[: max(0, preview - len(check.preview))]:
            check.preview.append(_preview_row(fields or clean_household(data)[0]))
        if sink is not None and good and not check.error_count:
            sink.write([prepared[row] for row, *_ in good])
        chunk.clear()
        prepared.clear()
        chunk_errors.clear()
        bad.clear()
        if on_progress is not None:
            on_progress(check.rows)

    for row, data in rows:
        check.rows += 1
        quick = quick_row(data, id_token)
        if quick is not None:
            fields, errors, number = None, [], quick[1]
        else:
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
        elif sink is not None and not check.error_count:
            prepared[row] = sink.prepare(quick or row_of(fields, id_token))
        if number is not None:
            chunk.append((row, number, data, fields))
        if len(chunk) >= IMPORT_CHUNK or len(chunk_errors) >= IMPORT_CHUNK:
            flush()
    flush()
    return check


def _no_token(number: str) -> str:
    """A check with nothing to write needs no search tokens."""
    return ""


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
    """All or nothing: every row validated (``household_import_check``); when any is bad,
    ``ApplicationError`` (code ``import_invalid``) whose details are ``{row, column, message}``,
    and nothing saved. Otherwise the households and their 一户一档 persons, in one transaction.

    The valid rows are written while the next ones are checked, inside the transaction, which a
    bad row rolls back: on PostgreSQL by COPY, which the server runs while the client goes on
    (``copy_stream``); on SQLite by a thread of the import's own (``bulk_insert.ThreadSink``).
    ``on_progress(stage, done)`` reports the rows checked and sent ("stream") and, at the end,
    those saved ("save"). The transaction is open while the file is checked: on SQLite, the
    one writer, other writes wait for it (up to the connection's timeout), as they waited for
    the insert before."""
    if not can_edit_households(actor, unit):
        raise NotPermitted(_("您不能为%(unit)s建立困难职工档案") % {"unit": unit.name})
    if not unit.active:
        raise ApplicationError(
            _("%(unit)s已撤销，不能再建档") % {"unit": unit.name}, code="retired_unit"
        )
    report = on_progress or (lambda stage, done: None)
    target = Target(unit, actor)
    check_rows = partial(household_import_check, rows=rows, columns=columns, actor=actor)
    check_rows = partial(check_rows, max_errors=max_errors, preview=0)

    def audit(count: int) -> None:  # in the import's transaction
        audit_record(
            actor=actor, action="household.import", target=unit, count=count, source=source
        )

    try:
        return _import_streaming(check_rows, target, report, audit)
    except (IntegrityError, OperationalError) as exc:
        # a unique ID number taken meanwhile; or, on PostgreSQL, two imports of the same
        # people in different orders, each waiting for the other's persons (a deadlock)
        if isinstance(exc, OperationalError) and _sqlstate(exc) not in _CONFLICTS:
            raise
        raise ApplicationError(
            "导入过程中，有人同时为文件中的职工建立了档案，本次未导入任何数据。"
            "请重新导入，系统会指出是哪些行。",
            code="import_conflict",
        ) from None


_CONFLICTS = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


def _sqlstate(exc: Exception) -> str | None:
    return getattr(exc.__cause__, "sqlstate", None)


def _refuse_bad(check: ImportCheck) -> None:
    if check.error_count:
        raise ApplicationError(
            _("%(summary)s，未导入任何数据。请改正后重新导入。") % {"summary": check.summary()},
            code="import_invalid",
            details=check.errors,
        )
    if not check.valid:
        raise ApplicationError(_("文件中没有可导入的数据行"), code="import_empty")


@transaction.atomic
def _import_streaming(check_rows, target: Target, report, audit) -> ImportCheck:
    lookups = Lookups.for_import()
    try:
        sink = target.sink()
        try:
            progress = partial(report, "stream")
            check = check_rows(sink=sink, lookups=lookups, on_progress=progress)
            sink.ready()
        finally:
            sink.close()
    finally:
        lookups.close()
    _refuse_bad(check)  # inside the transaction: what was sent is rolled back
    insert_persons(target, check.valid)
    audit(check.valid)
    report("save", check.valid)
    return check
