import importlib
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client, TransactionTestCase

from chunfeng.core import sms

from .fixtures import PASSWORD, build_federation

_guard = importlib.import_module("chunfeng.core.migrations.0003_audit_append_only")


@contextmanager
def audit_guard_lifted(alias: str = "default"):
    """The history's triggers refuse DELETE and TRUNCATE: the one place rows go is the test
    suite emptying its own database after a transactional test (Django's flush)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        for sql in _guard.REMOVE.get(connection.vendor, []):
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in _guard.INSTALL.get(connection.vendor, []):
                cursor.execute(sql)


_flush = TransactionTestCase._fixture_teardown


def _fixture_teardown(self):
    with audit_guard_lifted():
        _flush(self)


TransactionTestCase._fixture_teardown = _fixture_teardown


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # the history's sealed values (chunfeng.core.sealed) under a test key, not data/audit_key
    settings.CHUNFENG_AUDIT_KEY = "the tests' audit key"
    # jobs run at once, in the test's thread, when their transaction commits (capture the
    # on-commit callbacks to run them); tests/cli/test_worker.py uses the database queue
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # text messages stay in chunfeng.core.sms.outbox: none leaves the machine in a test
    settings.CHUNFENG_SMS_BACKEND = "locmem"
    sms.outbox.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def fed(db):
    return build_federation()


@pytest.fixture
def login():
    """``login(user)`` → a test client logged in as that user (without the login form, which
    django-axes guards: tests/accounts/test_lockout.py goes through it)."""

    def make(user) -> Client:
        assert user.check_password(PASSWORD)
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api():
    """``api(token)`` → a client that sends ``Authorization: Bearer <token>`` on each call."""

    def make(token: str | None) -> Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return Client(headers=headers)

    return make
