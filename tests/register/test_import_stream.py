"""The import in chunks: each chunk of valid rows is written while the next is checked, inside
the import's transaction: on PostgreSQL by COPY, which the server runs while the client goes on
(``register.copy_stream``); on SQLite by a thread of the import's own (``ThreadSink``). Either
way all or nothing, whichever chunk goes wrong."""

import pytest
from django.db import DatabaseError, OperationalError, connection, connections

from chunfeng.core.actors import SYSTEM
from chunfeng.core.audit import AuditEvent
from chunfeng.core.errors import ApplicationError
from chunfeng.register import bulk_import, bulk_insert
from chunfeng.register.import_jobs import import_file
from chunfeng.register.listfile import HouseholdFile, contract_mapping
from chunfeng.register.models import Household, Person

from .conftest import make_id, new_household, row, xlsx_bytes


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(bulk_import, "IMPORT_CHUNK", 2)  # seven rows: four chunks


def run(fed, tmp_path, rows):
    path = tmp_path / "h.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    file = HouseholdFile(path)
    return import_file(file, contract_mapping(file.header().columns), unit=fed.zs, actor=SYSTEM)


def test_every_chunk_is_saved_with_its_persons_and_one_audit_row(fed, tmp_path, small_chunks):
    check = run(fed, tmp_path, [row(i) for i in range(1, 8)])
    assert check.valid == 7
    ids = sorted(Household.objects.filter(unit=fed.zs).values_list("id_number", flat=True))
    assert ids == sorted(make_id(i) for i in range(1, 8))
    persons = Person.objects.filter(household__unit=fed.zs, active=True)
    assert sorted(persons.values_list("id_number", flat=True)) == ids
    assert AuditEvent.objects.filter(action="household.import").count() == 1


def test_a_file_kept_elsewhere_found_in_a_later_chunk_saves_nothing(fed, tmp_path, small_chunks):
    new_household(fed, fed.xg, 6)  # 西岗区 keeps the sixth person's file
    with pytest.raises(ApplicationError) as err:
        run(fed, tmp_path, [row(i) for i in range(1, 8)])
    assert err.value.code == "import_invalid"
    assert [(d["row"], d["column"]) for d in err.value.details] == [(7, "身份证号码")]
    assert "已在西岗区总工会（210203）建档" in err.value.details[0]["message"]
    assert list(Household.objects.values_list("unit", flat=True)) == [fed.xg.pk]


def broken_chunk(monkeypatch, number: int) -> list[int]:
    """The ``number``-th chunk spoilt as it is sent: on PostgreSQL a COPY line with a column too
    many, on SQLite a value too few for the statement's parameters. The sizes of the chunks
    sent, in a list that grows as they go."""
    if connection.vendor == "postgresql":
        name, spoil = "copy_data", lambda data: data.replace(b"\t", b"\t\t", 1)
    else:
        name, spoil = "values_params", lambda params: params[:-1]
    block, sent = getattr(bulk_insert, name), []

    def broken(rows, *rest):
        sent.append(len(rows))
        data = block(rows, *rest)
        return data if len(sent) != number else spoil(data)

    monkeypatch.setattr(bulk_insert, name, broken)
    return sent


def test_a_chunk_the_database_refuses_rolls_back_the_chunks_written_before(
    fed, tmp_path, small_chunks, monkeypatch
):
    sent = broken_chunk(monkeypatch, 3)
    with pytest.raises(DatabaseError):
        run(fed, tmp_path, [row(i) for i in range(1, 8)])
    assert sent == [2, 2, 2]  # the two chunks before were written, and are gone with the third
    assert not Household.objects.exists() and not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="household.import").exists()
    assert run(fed, tmp_path, [row(1)]).valid == 1  # the connection works on


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the insert thread is SQLite's")
def test_sqlite_inserts_on_a_thread_of_its_own_between_the_checks(
    fed, tmp_path, small_chunks, monkeypatch
):
    """Each chunk goes in on the sink's thread while the validating thread goes on, and that
    thread waits for it before its next query (the next chunk's 一户一档 look-up)."""
    import threading

    events = []
    insert, lookup = bulk_insert.ThreadSink._insert, bulk_import.holders_by_id

    def inserting(self, statements):
        events.append(("insert", threading.current_thread() is threading.main_thread()))
        return insert(self, statements)

    def looking_up(numbers, db):
        events.append(("lookup", threading.current_thread() is threading.main_thread()))
        return lookup(numbers, db)

    monkeypatch.setattr(bulk_insert.ThreadSink, "_insert", inserting)
    monkeypatch.setattr(bulk_import, "holders_by_id", looking_up)
    assert run(fed, tmp_path, [row(i) for i in range(1, 8)]).valid == 7
    assert events == [("lookup", True), ("insert", False)] * 4
    assert Household.objects.filter(unit=fed.zs).count() == 7


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the parameters' limit is SQLite's")
def test_sqlite_splits_a_chunk_into_as_many_statements_as_its_parameters_need(
    fed, tmp_path, monkeypatch
):
    """A SQLite built to take fewer parameters than a chunk's values (999 before 3.32) gets
    the chunk in several statements, all of it saved."""
    import sqlite3

    statements = []
    insert = bulk_insert.ThreadSink._insert

    def inserting(self, given):
        statements.extend(count for _sql, _params, count in given)
        return insert(self, given)

    monkeypatch.setattr(bulk_insert.ThreadSink, "_insert", inserting)
    connection.ensure_connection()
    raw = connection.connection
    constants = len(bulk_insert.Target(fed.zs, SYSTEM).fixed)  # their parameters come first
    before = raw.setlimit(
        sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, constants + 3 * len(bulk_insert.ROW)
    )
    try:
        assert run(fed, tmp_path, [row(i) for i in range(1, 8)]).valid == 7
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)
    assert statements == [3, 3, 1]
    assert Household.objects.filter(unit=fed.zs).count() == 7
    assert Person.objects.filter(household__unit=fed.zs, active=True).count() == 7


@pytest.fixture
def asked(monkeypatch):
    """Each 一户一档 question as ``(connection asked, whether the import's sink still had a
    chunk in hand that nobody had waited for)``."""
    sinks, questions = [], []
    make_sink, lookup = bulk_insert.Target.sink, bulk_import.holders_by_id

    def sink(self):
        sinks.append(make_sink(self))
        return sinks[-1]

    def looking_up(numbers, db):
        in_hand = sinks[-1].pending if hasattr(sinks[-1], "pending") else sinks[-1].stream.pending
        questions.append((db, bool(in_hand)))
        return lookup(numbers, db)

    monkeypatch.setattr(bulk_insert.Target, "sink", sink)
    monkeypatch.setattr(bulk_import, "holders_by_id", looking_up)
    return questions


@pytest.mark.django_db(transaction=True)
def test_in_its_own_transaction_the_import_asks_one_file_per_person_on_a_second_connection(
    fed, tmp_path, small_chunks, asked
):
    """The import's transaction the outermost one: each chunk's 一户一档 question goes on a
    connection of its own while the import's connection writes the chunk before (not waited
    for), and a file kept elsewhere is still found (its union named, read on the import's
    connection once the chunk before is in), with nothing saved; the second connection is
    closed after."""
    new_household(fed, fed.xg, 6)  # committed: this test runs outside a test transaction
    with pytest.raises(ApplicationError) as err:
        run(fed, tmp_path, [row(i) for i in range(1, 8)])
    assert [(d["row"], d["column"]) for d in err.value.details] == [(7, "身份证号码")]
    assert "已在西岗区总工会（210203）建档" in err.value.details[0]["message"]
    assert list(Household.objects.values_list("unit", flat=True)) == [fed.xg.pk]
    second = asked[0][0]
    assert second is not connections["default"] and second.connection is None  # closed
    # the third chunk found the file: its union read after the second chunk was in, and
    # nothing more was sent after the error
    assert asked == [(second, False), (second, True), (second, True), (second, False)]

    asked.clear()
    assert run(fed, tmp_path, [row(i) for i in range(1, 6)]).valid == 5
    assert [in_hand for _, in_hand in asked] == [False, True, True]
    assert Person.objects.filter(household__unit=fed.zs).count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_refused_chunk_closes_the_second_connection_too(
    fed, tmp_path, small_chunks, asked, monkeypatch
):
    """The import's own transaction, its second chunk refused: nothing kept, and the second
    connection closed."""
    broken_chunk(monkeypatch, 2)
    with pytest.raises(DatabaseError):
        run(fed, tmp_path, [row(i) for i in range(1, 8)])
    assert asked[0][0] is not connections["default"] and asked[0][0].connection is None
    assert not Household.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_second_connection_the_import_asks_on_its_own(
    fed, tmp_path, small_chunks, asked, monkeypatch
):
    """No connection to be had (the server's ``max_connections`` reached): the import's own
    connection asks, after each chunk is in."""
    own = connections["default"]
    ensure = type(own).ensure_connection

    def refused(self):
        if self is not own:
            raise OperationalError("too many clients already")
        return ensure(self)

    monkeypatch.setattr(type(own), "ensure_connection", refused)
    assert run(fed, tmp_path, [row(i) for i in range(1, 6)]).valid == 5
    assert asked == [(connection, False)] * 3


def test_the_second_connection_is_not_taken_from_the_pool(db, monkeypatch):
    """A pool of one (``CHUNFENG_DB_POOL=1``) would have the import wait for itself."""
    own = connections["default"]
    monkeypatch.setitem(own.settings_dict, "OPTIONS", {**own.settings_dict["OPTIONS"], "pool": {}})
    monkeypatch.setattr(own, "savepoint_ids", [])  # as in the import's own transaction
    lookups = bulk_import.Lookups.for_import()
    try:
        assert "pool" not in lookups.separate.settings_dict["OPTIONS"]
        assert lookups.separate.connection is not None
    finally:
        lookups.close()
    assert own.settings_dict["OPTIONS"]["pool"] == {}  # the process's own settings unchanged


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_two_imports_of_the_same_people_waiting_for_each_other_say_so(
    fed, tmp_path, monkeypatch, sqlstate
):
    """PostgreSQL ends one of two imports that wait for each other's persons (a deadlock):
    the user reads the import conflict, not a server error; any other error stays one."""

    def deadlocked(*args):
        error = OperationalError("deadlock detected")
        error.__cause__ = type("Cause", (Exception,), {"sqlstate": sqlstate})()
        raise error

    monkeypatch.setattr(bulk_import, "insert_persons", deadlocked)
    with pytest.raises(ApplicationError) as err:
        run(fed, tmp_path, [row(1)])
    assert err.value.code == "import_conflict"
    monkeypatch.setattr(bulk_import, "_CONFLICTS", set())
    with pytest.raises(OperationalError):
        run(fed, tmp_path, [row(1)])


def test_inside_a_callers_transaction_the_import_asks_on_its_own_connection(
    fed, tmp_path, small_chunks, asked
):
    """Within a transaction of the caller's (here the test's), a second connection would not
    see the caller's writes: the file made just before in the same transaction is found, by
    the import's own connection, after each chunk is in."""
    new_household(fed, fed.xg, 6)  # not committed: only this connection sees it
    with pytest.raises(ApplicationError) as err:
        run(fed, tmp_path, [row(i) for i in range(1, 8)])
    assert "已在西岗区总工会（210203）建档" in err.value.details[0]["message"]
    assert asked == [(connection, False)] * 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="an in-memory database is SQLite's")
def test_an_in_memory_sqlite_database_is_asked_on_the_imports_own_connection(monkeypatch):
    """A second connection to ``:memory:`` would open another, empty database."""
    monkeypatch.setattr(connections["default"], "is_in_memory_db", lambda: True)
    assert bulk_import.Lookups.for_import().separate is None
    monkeypatch.undo()
    lookups = bulk_import.Lookups.for_import()
    assert lookups.separate is not None
    lookups.close()
