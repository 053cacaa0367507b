import pytest
from django.test import Client

from .fixtures import PASSWORD, build_federation


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # the history's sealed values (chunfeng.core.sealed) under a test key, not data/audit_key
    settings.CHUNFENG_AUDIT_KEY = "the tests' audit key"
    # jobs run at once, in the test's thread, when their transaction commits (capture the
    # on-commit callbacks to run them); tests/cli/test_worker.py uses the database queue
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def fed(db):
    return build_federation()


@pytest.fixture
def login():
    """``login(user)`` → a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return make


@pytest.fixture
def api():
    """``api(token)`` → a client that sends ``Authorization: Bearer <token>`` on each call."""

    def make(token: str | None) -> Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return Client(headers=headers)

    return make
