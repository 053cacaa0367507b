"""The history is append-only in the database itself, and the retention period has a floor."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError

from chunfeng.core.actors import SYSTEM
from chunfeng.core.audit import audit_record
from chunfeng.core.models import AuditEvent
from chunfeng.orgunits.models import OrgUnit


def _refused(call):
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        call()


def test_audit_rows_cannot_be_changed_or_deleted(fed):
    event = audit_record(actor=SYSTEM, action="test.event", target=fed.city, note="x")
    qn = connection.ops.quote_name(AuditEvent._meta.db_table)
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="changed"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    _refused(lambda: AuditEvent.objects.all().delete())

    def raw(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    _refused(lambda: raw(f"UPDATE {qn} SET details = '{{}}'"))
    _refused(lambda: raw(f"DELETE FROM {qn}"))
    event.refresh_from_db()
    assert event.action == "test.event" and event.details == {"note": "x"}
    # adding still works, also as one event about many rows of a table
    many = audit_record(actor=SYSTEM, action="test.many", target=OrgUnit, count=6)
    assert (many.target_type, many.target_id, many.by_system) == ("orgunits.orgunit", "", True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.django_db(transaction=True)
def test_the_history_cannot_be_truncated_on_postgresql():
    audit_record(actor=SYSTEM, action="test.event", target=OrgUnit)
    with pytest.raises(DatabaseError, match="只能追加"), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table}")
    assert AuditEvent.objects.count() == 1


def test_a_user_with_history_cannot_be_deleted(fed):
    user = fed.user("zs", "filler")
    audit_record(actor=user, action="test.event", target=fed.zs)
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()


def test_retention_below_half_a_year_refuses_to_start(settings):
    settings.CHUNFENG_RETENTION_DAYS = 182
    errors = [e for e in run_checks() if e.id == "chunfeng.E001"]
    assert errors and "不能少于 183 天" in errors[0].msg
    with pytest.raises(SystemCheckError, match="CHUNFENG_RETENTION_DAYS=182"):
        call_command("check")
    settings.CHUNFENG_RETENTION_DAYS = 183
    assert not [e for e in run_checks() if e.id == "chunfeng.E001"]
