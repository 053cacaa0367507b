"""PostgreSQL: a household import's rows sent to the server while the next rows are validated.

The import checks its rows in chunks (``bulk_import.household_import_check``). On PostgreSQL
each chunk of valid rows is sent as one ``COPY … FROM STDIN`` inside the import's transaction,
and the client does not wait for the server to finish it: it goes on validating the next chunk
while the server (another process, on another core) parses the rows, writes them, maintains the
indexes and checks the foreign keys (made immediate for the transaction, so that they run there
rather than all at ``COMMIT``). Before the connection is used again (the next chunk's COPY, the
names of the unions holding a file the check found, the persons' insert at the end) the COPY's
result is read, so an error surfaces there and nothing runs out of order; the 一户一档 question
of the next chunk goes meanwhile on a second connection (``bulk_import.Lookups``).
Validation and the database's work overlap instead of following one another (bench/README.md,
"Household import").

psycopg's ``Cursor.copy`` waits for the result when its block ends, so the COPY is driven here
through psycopg's own generators on the connection's ``pgconn``, the way ``Copy`` drives it,
with the end of the COPY sent in one step and its result read in another."""

from __future__ import annotations

from collections.abc import Iterator

from psycopg import errors, generators, pq
from psycopg.waiting import Ready, Wait

_BLOCK = 1 << 20  # bytes handed to the libpq at a time (psycopg's Copy splits at 1 MB too)


class CopyStream:
    """COPY chunks of rows into ``table``: ``send`` one chunk and return without waiting for
    the server; ``wait`` for the last chunk's result (before any other query on the connection,
    and at the end); ``close`` leaves the connection usable whatever happened."""

    def __init__(self, connection, table: str, columns: str):
        self.db = connection  # Django's connection: its errors wrapped the way Django wraps them
        self.conn = connection.connection
        self.pgconn = self.conn.pgconn
        self.sql = f"COPY {table} ({columns}) FROM STDIN".encode()
        self.in_copy = False  # the COPY started and its end not yet sent
        self.pending = False  # its end sent, its result not yet read

    def send(self, data: bytes) -> None:
        """One chunk of rows in COPY's text format, as one COPY statement."""
        self.wait()
        with self.db.wrap_database_errors:
            self.pgconn.send_query(self.sql)
            (result,) = self.conn.wait(generators.execute(self.pgconn))
            if result.status != pq.ExecStatus.COPY_IN:
                raise errors.error_from_result(result, encoding=self.pgconn._encoding)
            self.in_copy = True
            for start in range(0, len(data), _BLOCK):
                self.conn.wait(generators.copy_to(self.pgconn, data[start : start + _BLOCK]))
            self.conn.wait(_end_sent(self.pgconn, None))
            self.in_copy, self.pending = False, True

    def wait(self) -> None:
        """The result of the chunk sent last (raises its error, wrapped as Django's)."""
        if not self.pending:
            return
        self.pending = False
        with self.db.wrap_database_errors:
            results = self.conn.wait(generators.fetch_many(self.pgconn))
            for result in results:
                if result.status != pq.ExecStatus.COMMAND_OK:
                    raise errors.error_from_result(result, encoding=self.pgconn._encoding)

    def close(self) -> None:
        """After an error anywhere: end a COPY left open (the server refuses it, so nothing of it
        stays) and read what is outstanding, so that the transaction can be rolled back."""
        try:
            if self.in_copy:
                self.in_copy, self.pending = False, True
                self.conn.wait(_end_sent(self.pgconn, b"import aborted"))
            if self.pending:
                self.pending = False
                self.conn.wait(generators.fetch_many(self.pgconn))
        except Exception:  # noqa: BLE001, S110 - the connection is failed; the rollback will say so
            pass


def _end_sent(pgconn, error: bytes | None) -> Iterator[Wait]:
    """psycopg's ``copy_end`` without reading the result: the end of the COPY flushed to the
    server, which then finishes the statement while the client goes on."""
    while pgconn.put_copy_end(error) == 0:
        while not (yield Wait.W):
            continue
    while True:
        ready: Ready = yield Wait.W
        if not ready:
            continue
        if pgconn.flush() == 0:
            break
