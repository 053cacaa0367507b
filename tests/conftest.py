import pytest
from django.test import Client

from chunfeng.core import sms

from .fixtures import PASSWORD, build_federation


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
