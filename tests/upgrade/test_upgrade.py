"""A database made by an earlier release upgrades by ``migrate`` with no row lost or changed.

The fixture is the demo database as the first release left it (``chunfeng serve --demo`` at the
commit named in the file, then ``dumpdata`` of the chunfeng apps), with the migrations it had
then. The test takes the test database back to those migrations, loads the rows through the
models as they were then (Django's historical models), migrates forward to today, and compares
every old table's row count and a checksum of the values that matter."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).with_name("demo_2026-12-01.json.gz")


def _load_fixture() -> dict:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _insert(apps, objects: list[dict]) -> None:
    """The dumped rows through the historical models (dates, decimals and JSON converted by
    the fields themselves); many-to-many links once every row exists."""
    rows, links = defaultdict(list), []
    for obj in objects:
        model = apps.get_model(obj["model"])
        instance = model(pk=obj["pk"])
        for name, value in obj["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                links.append((instance, name, value))
            elif field.is_relation:
                setattr(instance, field.attname, value)
            else:
                setattr(instance, field.attname, field.to_python(value))
        rows[model].append(instance)
    with transaction.atomic():
        for model, instances in rows.items():
            model._base_manager.bulk_create(instances)
        for instance, name, values in links:
            getattr(instance, name).set(values)
    with connection.cursor() as cursor:  # explicit ids: the sequences start after them
        for statement in connection.ops.sequence_reset_sql(_NoStyle(), list(rows)):
            cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def _tables(apps, labels) -> list[str]:
    tables = []
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            tables.append(model._meta.db_table)
            tables.extend(
                f.remote_field.through._meta.db_table
                for f in model._meta.local_many_to_many
                if f.remote_field.through._meta.auto_created
            )
    return sorted(set(tables))


def _counts(tables) -> dict[str, int]:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


CHECKSUMS = {
    "report values": "SELECT code, value FROM reports_reportvalue ORDER BY report_id, code",
    "households": "SELECT id_number, name, category, income FROM register_household ORDER BY id",
    "payments": "SELECT id_number, amount, paid_on FROM funds_paymentline ORDER BY id",
    "units": "SELECT code, path, parent_id FROM orgunits_orgunit ORDER BY id",
    "history": "SELECT action, target_type, target_id FROM core_auditevent ORDER BY id",
    "forms": "SELECT code, version, digest FROM formdefs_formversion ORDER BY id",
}


def _checksums() -> dict[str, list]:
    out = {}
    with connection.cursor() as cursor:
        for name, sql in CHECKSUMS.items():
            cursor.execute(sql)
            out[name] = [tuple(str(v) for v in row) for row in cursor.fetchall()]
    return out


def test_the_first_release_demo_database_upgrades_without_losing_a_row():
    fixture = _load_fixture()
    old = list(fixture["migrations"].items())
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = _migrate(old)
        old_apps = executor.loader.project_state(old).apps
        old_fields = {f.name for f in old_apps.get_model("core", "AuditEvent")._meta.get_fields()}
        assert "by_system" not in old_fields  # the test really starts from the old schema
        _insert(old_apps, fixture["objects"])
        tables = _tables(old_apps, fixture["migrations"])
        before, sums_before = _counts(tables), _checksums()
        assert before["reports_reportvalue"] == 387 and before["register_household"] == 8
    finally:
        _migrate(latest)
    assert _counts(tables) == before
    assert _checksums() == sums_before
    from chunfeng.core.models import AuditEvent  # the model as it is today, after the upgrade

    system_rows = AuditEvent.objects.filter(actor__isnull=True)
    assert system_rows.exists() and not system_rows.filter(by_system=False).exists()
    from chunfeng.core.personal import search_token  # after the upgrade, as above
    from chunfeng.register.models import Household

    for household in Household.objects.all():  # searchable by token (contract (b))
        assert household.id_token == search_token("id", household.id_number)
        assert household.version == 1
