"""Two unions paying the same family at the same moment both end up flagged: whichever commits
first, the later line is flagged against the earlier one — for the same ID number and for the
suspected kinds (the same name and birth date under two districts' files).

Real concurrency needs PostgreSQL: two threads, each with its own connection and transaction.
The first adds its line and holds its transaction open while the second starts its own; the
second must wait for the first (``funds.services.lock_households``) and then see its line. On
SQLite (``transaction_mode = IMMEDIATE``) one writing transaction runs at a time, so payments
are serial there and the test is skipped."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from chunfeng.funds.models import DuplicateFlag, FlagKind
from chunfeng.funds.services import line_add

from .helpers import PAID_ON, batch, household

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writing transaction at a time: no concurrent payments to race",
    ),
]


def add(batch_, actor, family):
    return line_add(
        batch=batch_,
        id_number=family.id_number,
        amount="500",
        aid_type="condolence",
        paid_on=PAID_ON,
        actor=actor,
    )


def _waiting_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:  # pg_locks is live, not a snapshot of the transaction
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone()[0] > 0


def race(first, second) -> tuple:
    """Run ``first`` and ``second`` (each adds a line) in two threads with their own
    connections. ``first`` adds its line and keeps its transaction open until ``second``,
    started meanwhile, either waits for a lock or has finished; then it commits. Whether
    ``second`` waited is returned with both lines."""
    added, done = threading.Event(), threading.Event()
    lines, errors, state = {}, [], {"waited": False}

    def one():
        try:
            with transaction.atomic():
                lines["first"] = first()
                added.set()
                deadline = time.monotonic() + 10
                while not done.is_set() and time.monotonic() < deadline:
                    if "pid" in state and _waiting_for_a_lock(state["pid"]):
                        state["waited"] = True
                        break
                    time.sleep(0.02)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            added.set()
            connection.close()

    def two():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                state["pid"] = cursor.fetchone()[0]
            added.wait(10)
            lines["second"] = second()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    return lines["first"], lines["second"], state["waited"]


def flagged_pairs() -> set:
    return {(f.line_id, f.other_id, f.kind) for f in DuplicateFlag.objects.all()}


def test_the_same_family_paid_by_two_unions_at_once(fed):
    family = household(fed.zs_g1, 1, "王大山")
    district = batch(fed, fed.zs, fed.user("zs", "filler"), "区慰问")
    grassroots = batch(fed, fed.zs_g1, fed.user("zsg", "filler"), "街道慰问")
    first, second, waited = race(
        lambda: add(district, fed.user("zs", "filler"), family),
        lambda: add(grassroots, fed.user("zsg", "filler"), family),
    )
    assert waited  # the second waited for the first to commit
    assert flagged_pairs() == {(second.pk, first.pk, FlagKind.EXACT)}


def test_the_same_person_on_two_districts_registers_paid_at_once(fed):
    zs_file = household(fed.zs, 2, "张伟", birth="19650315")
    xg_file = household(fed.xg, 3, "张伟", birth="19650315")  # another ID number
    zs_batch = batch(fed, fed.zs, fed.user("zs", "filler"), "中山慰问")
    xg_batch = batch(fed, fed.xg, fed.user("xg", "filler"), "西岗慰问")
    first, second, waited = race(
        lambda: add(zs_batch, fed.user("zs", "filler"), zs_file),
        lambda: add(xg_batch, fed.user("xg", "filler"), xg_file),
    )
    assert waited
    assert flagged_pairs() == {(second.pk, first.pk, FlagKind.NAME_BIRTH)}
