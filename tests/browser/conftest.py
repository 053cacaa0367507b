"""Real-browser tests: Playwright drives Debian's chromium against Django's live server."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) and shutil.which("chromium") is None:
        pytest.fail(
            "Debian's chromium is missing: ./dev test installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def watched_page(browser, width: int = 1280, height: int = 900, timeout: int = 10_000):
    """A new page of its own context, and the list that collects every breach of the
    Content-Security-Policy and every script error on it (a test asserts it stays empty)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(timeout)
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error"
            and ("Content Security Policy" in msg.text or "Refused to" in msg.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return context, page, problems


@pytest.fixture
def page(browser, live_server):
    """A page whose every test also proves that nothing broke the Content-Security-Policy and
    no script failed: such errors are collected and fail the test at its end."""
    context, page, problems = watched_page(browser)
    yield page
    os.makedirs("test-artifacts", exist_ok=True)
    context.close()
    assert not problems, problems


@pytest.fixture
def sign_in(page, live_server):
    def do(user):
        from tests.fixtures import PASSWORD

        page.goto(live_server.url + "/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        return page

    return do
