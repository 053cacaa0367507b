"""Tokens made before they expired get an expiry when the database is upgraded: their creation
time plus the default lifetime."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_tokens_get_created_plus_default_days(settings):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    made = timezone.now() - dt.timedelta(days=10)
    try:
        old = _migrate(BEFORE)
        User, ApiToken = old.get_model("accounts", "User"), old.get_model("accounts", "ApiToken")
        assert "expires_at" not in {f.name for f in ApiToken._meta.get_fields()}
        user = User.objects.create(username="old_timer", password="!")
        token = ApiToken.objects.create(user=user, digest="d" * 64, prefix="cf_old00")
        ApiToken.objects.filter(pk=token.pk).update(created_at=made)
    finally:
        _migrate(latest)
    from chunfeng.accounts.models import ApiToken as Today  # the model after the upgrade

    upgraded = Today.objects.get(prefix="cf_old00")
    assert upgraded.expires_at == made + dt.timedelta(days=settings.CHUNFENG_TOKEN_DAYS)
    assert upgraded.usable
