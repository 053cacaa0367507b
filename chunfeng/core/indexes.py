"""Indexes for the tables that grow to millions of rows (bench/README.md, "Household import").

Every index is paid for by each row written. A search token (``personal.search_token``: 34
characters of a keyed hash, as random as keys come) is only ever looked up by equality, one
value at a time: a hash index on PostgreSQL keeps a 4-byte hash code of each instead of the
whole token, so it is half the size of a B-tree and cheaper to write (measured in
bench/README.md). Hash indexes serve ``=`` only, and one column; they suit columns whose values
are nearly all different (a value shared by many rows makes its bucket a long chain that each
insert walks), so a token that is often blank keeps a B-tree. Other databases get a B-tree."""

from __future__ import annotations

from django.db import models


class EqualityIndex(models.Index):
    """An index for ``column = value`` look-ups only, on one column of nearly unique values:
    ``USING hash`` on PostgreSQL, a plain B-tree elsewhere (SQLite has no other kind)."""

    def __init__(self, *, fields, name):
        if len(fields) != 1 or fields[0].startswith("-"):
            raise ValueError("EqualityIndex indexes one column, in no order")
        super().__init__(fields=fields, name=name)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            using = " USING hash"
        return super().create_sql(model, schema_editor, using=using, **kwargs)
