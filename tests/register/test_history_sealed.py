"""Personal numbers in a household's history: masked for every role, the full old and new values
sealed in the audit row under a key held outside the database, opened only by auditors (viewers
and admins of a unit above the keeping union), every opening logged; the data migration converts
what the history kept in clear."""

from __future__ import annotations

import importlib
import json
import os
import stat

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from chunfeng.core import sealed
from chunfeng.core.errors import ApplicationError
from chunfeng.core.models import AuditEvent
from chunfeng.register.changes import change_approve
from chunfeng.register.models import IdAccess, PendingChange
from chunfeng.register.services import household_update
from tests.conftest import audit_guard_lifted

from .conftest import new_household

OLD_BANK, NEW_BANK = "6222023400000016", "6222029999888877776"
OLD_PHONE, NEW_PHONE = "13904110001", "13998765432"
FULL = (OLD_BANK, NEW_BANK, OLD_PHONE, NEW_PHONE)


@pytest.fixture
def changed(fed):
    """A 中山区 file whose phone a filler changed and whose bank account a filler changed and
    the district's reviewer approved."""
    household = new_household(fed, fed.zs, 1, bank_account=OLD_BANK, phone=OLD_PHONE)
    filler = fed.user("zs", "filler")
    household = household_update(
        household=household, data={"phone": NEW_PHONE, "bank_account": NEW_BANK}, actor=filler
    )
    change_approve(change=PendingChange.objects.get(), actor=fed.user("zs", "reviewer"))
    household.refresh_from_db()
    assert household.bank_account == NEW_BANK and household.phone == NEW_PHONE
    return household


@pytest.mark.parametrize("key", ["zs", "city"])
@pytest.mark.parametrize("role", ["filler", "reviewer", "admin", "viewer"])
def test_the_history_shows_every_number_masked_to_every_role(fed, login, changed, key, role):
    html = login(fed.user(key, role)).get(reverse("household-detail", args=[changed.pk]))
    page = html.content.decode()
    assert html.status_code == 200
    for number in FULL:
        assert number not in page
    assert "银行卡号：6222********0016 → 6222***********7776" in page
    assert "联系电话：139****0001 → 139****5432" in page
    assert not IdAccess.objects.exists()


def test_the_audit_table_keeps_no_number_in_clear(changed):
    stored = json.dumps([e.details for e in AuditEvent.objects.all()], ensure_ascii=False)
    for number in FULL:
        assert number not in stored
    assert "sealed" in stored
    pending = str(list(PendingChange.objects.values()))
    assert not any(number in pending for number in FULL)


def unseal_url(household, event):
    return reverse("household-history-unseal", args=[household.pk, event.pk])


def approval_event(household):
    return AuditEvent.objects.get(action="household.change_approve", target_id=str(household.pk))


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_auditors_above_the_keeping_union_open_the_full_values_logged(fed, login, changed, role):
    client = login(fed.user("city", role))
    detail = client.get(reverse("household-detail", args=[changed.pk])).content.decode()
    assert unseal_url(changed, approval_event(changed)) in detail  # the button
    response = client.post(unseal_url(changed, approval_event(changed)), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert f"银行卡号：{OLD_BANK} → {NEW_BANK}" in page
    access = IdAccess.objects.get()
    assert (access.user, access.household, access.purpose) == (
        fed.user("city", role),
        changed,
        "audit:history",
    )
    assert access.details == {"event": approval_event(changed).pk}
    full_page = client.post(unseal_url(changed, approval_event(changed))).content.decode()
    assert "<html" in full_page and NEW_BANK in full_page


@pytest.mark.parametrize(
    "who, status",
    [
        (("zs", "viewer"), 403),  # of the keeping union itself: not an ancestor
        (("zs", "admin"), 403),
        (("zs", "filler"), 403),
        (("zs", "reviewer"), 403),
        (("city", "filler"), 403),
        (("city", "reviewer"), 403),
        (("xg", "viewer"), 404),  # outside the subtree
    ],
)
def test_no_one_else_opens_them(fed, login, changed, who, status):
    client = login(fed.user(*who))
    response = client.post(unseal_url(changed, approval_event(changed)))
    assert response.status_code == status
    assert NEW_BANK not in response.content.decode()
    if status == 403:
        detail = client.get(reverse("household-detail", args=[changed.pk])).content.decode()
        assert unseal_url(changed, approval_event(changed)) not in detail
    assert not IdAccess.objects.exists()


def test_a_row_without_sealed_values_has_none_to_open(fed, login, changed):
    create = AuditEvent.objects.get(action="household.create", target_id=str(changed.pk))
    response = login(fed.user("city", "viewer")).post(unseal_url(changed, create))
    assert response.status_code == 404 and not IdAccess.objects.exists()


# --- the key ---------------------------------------------------------------------------------


def test_sealed_values_need_the_installations_key(settings):
    token = sealed.seal({"bank_account": [OLD_BANK, NEW_BANK]})
    assert OLD_BANK not in token
    assert sealed.unseal(token) == {"bank_account": [OLD_BANK, NEW_BANK]}
    settings.CHUNFENG_AUDIT_KEY = "another installation's key"
    with pytest.raises(ApplicationError, match="审计密钥"):
        sealed.unseal(token)
    # a rotated key: the new one seals, the old one still opens
    settings.CHUNFENG_AUDIT_KEY = "a new key,the tests' audit key"
    assert sealed.unseal(token)["bank_account"][1] == NEW_BANK


def test_without_a_configured_key_one_is_made_once_in_the_data_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.CHUNFENG_AUDIT_KEY = ""
    token = sealed.seal({"x": "1"})
    path = tmp_path / sealed.KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key = path.read_text()
    sealed._fernet.cache_clear()
    assert sealed.unseal(token) == {"x": "1"} and path.read_text() == key


# --- what was stored before ----------------------------------------------------------------------


def test_the_migration_masks_and_seals_what_the_history_kept_in_clear(fed, changed):
    household = changed
    old = AuditEvent.objects.create(
        action="household.update",
        target_type="register.household",
        target_id=str(household.pk),
        details={"changes": {"bank_account": [OLD_BANK, NEW_BANK], "income": ["1", "2"]}},
    )
    type(household).objects.filter(pk=household.pk).update(id_token="")
    migration = importlib.import_module("chunfeng.register.migrations.0004_seal_personal_history")
    # the migration runs before core's triggers freeze the history (core 0003 depends on it)
    with audit_guard_lifted():
        migration.forwards(django_apps, None)
    old.refresh_from_db()
    household.refresh_from_db()
    assert old.details["changes"] == {
        "bank_account": ["6222********0016", "6222***********7776"],
        "income": ["1", "2"],
    }
    assert sealed.unseal(old.details["sealed"]) == {"bank_account": [OLD_BANK, NEW_BANK]}
    assert household.id_token.startswith("i_")
    before = {e.pk: e.details for e in AuditEvent.objects.all()}
    with audit_guard_lifted():
        migration.forwards(django_apps, None)  # twice: nothing sealed again
    assert {e.pk: e.details for e in AuditEvent.objects.all()} == before
