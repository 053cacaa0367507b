"""The history is append-only: triggers refuse every UPDATE and DELETE of an audit row (and a
TRUNCATE of the table on PostgreSQL), whoever sends it — the application, a script, a person at
the database prompt. Rows are only ever added. It comes after 0002, whose data migration still
updates the rows written before it.

The statements are kept here, and only here; the test suite reads them (``INSTALL``,
``REMOVE``) to lift the guard while it empties its own database between transactional tests."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MESSAGE = "操作记录只能追加，不能修改或删除（core_auditevent is append-only）"

INSTALL = {
    "sqlite": [
        "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        "CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
        "CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()",
        "CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent "
        "FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only()",
    ],
}

REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_update",
        "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent",
        "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
        "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        # only the two databases Chunfeng supports have the guard
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_auditevent_by_system"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # the register's data migration rewrites history rows: it runs before they are frozen
        ("register", "0004_seal_personal_history"),
    ]

    operations = [
        # a user with history cannot be deleted (it never is: users are deactivated); PROTECT
        # says so before the trigger would refuse the SET NULL
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(_run(INSTALL), _run(REMOVE)),
    ]
