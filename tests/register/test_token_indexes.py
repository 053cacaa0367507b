"""The indexes of the search tokens (core.indexes): what each database is given, and that a
look-up by token still finds its row through the index."""

from __future__ import annotations

import pytest
from django.db import connection

from chunfeng.core.indexes import EqualityIndex
from chunfeng.core.personal import search_token
from chunfeng.register.models import Household

from .conftest import new_household

POSTGRES = connection.vendor == "postgresql"


def _indexes(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: info for name, info in found.items() if info["index"]}


@pytest.mark.parametrize("fields", [["id_token", "name"], ["-id_token"]])
def test_an_equality_index_is_on_one_column_in_no_order(fields):
    with pytest.raises(ValueError, match="one column"):
        EqualityIndex(fields=fields, name="bad")


@pytest.mark.django_db
def test_the_households_token_has_a_hash_index_on_postgresql_and_a_b_tree_elsewhere():
    index = _indexes(Household._meta.db_table)["household_id_token"]
    assert index["columns"] == ["id_token"]
    assert index["type"] == ("hash" if POSTGRES else "idx")


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="only PostgreSQL adds an index for LIKE")
def test_no_token_column_carries_an_index_for_like():
    """``db_index`` on a text field gives PostgreSQL a second, ``varchar_pattern_ops`` index,
    which serves only ``LIKE 'prefix%'``: never asked of a token, and written with every row."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    for table in tables:
        for name, info in _indexes(table).items():
            tokens = [column for column in info["columns"] if column.endswith("_token")]
            assert not (tokens and name.endswith("_like")), f"{table}.{name}"


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="the hash index is PostgreSQL's")
def test_a_look_up_by_token_goes_through_the_hash_index(fed):
    household = new_household(fed, fed.zs)
    new_household(fed, fed.zs, 2)
    wanted = Household.objects.filter(id_token=search_token("id", household.id_number))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = wanted.explain()
    assert "household_id_token" in plan
    assert list(wanted) == [household]
