"""The browser-side protections: a strict Content-Security-Policy on every page (so no template
may carry inline script or style), and the production mode's settings, clean by Django's own
deployment check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "chunfeng"
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|\son[a-z]+=|\bhx-on|\sstyle=|<style",
    re.I,
)


def test_no_template_carries_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}"
        for path in TEMPLATES.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE.search(line)
    ]
    assert not found, found


@pytest.mark.parametrize("path", ["/login/", "/", "/campaigns/", "/register/", "/api/v1/docs"])
def test_every_answer_carries_the_policy(fed, login, path):
    response = login(fed.user("zs", "filler")).get(path, follow=True)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and response["X-Frame-Options"] == "DENY"


def test_the_api_docs_are_served_from_our_own_static_files(fed, login):
    page = login(fed.user("zs", "filler")).get("/api/v1/docs").content.decode()
    assert "cdn" not in page.lower() and "/static/ninja/swagger-ui-bundle" in page


def _chunfeng(*args, **env):
    environment = {**os.environ, **env}
    environment.pop("DATABASE_URL", None)  # the check needs no database
    # set in this process for Playwright's sync API by the browser tests, never in a deployment
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "chunfeng", *args],
        capture_output=True, text=True, env=environment, timeout=600,
    )  # fmt: skip


def test_production_mode_passes_djangos_deployment_check(tmp_path):
    done = _chunfeng(
        "check", "--deploy", "--fail-level", "WARNING",
        CHUNFENG_ENV="production", CHUNFENG_ALLOWED_HOSTS="chunfeng.example.cn",
        CHUNFENG_DATA_DIR=str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_mode_needs_the_hosts_it_serves(tmp_path):
    done = _chunfeng(
        "check",
        CHUNFENG_ENV="production",
        CHUNFENG_ALLOWED_HOSTS="",
        CHUNFENG_DATA_DIR=str(tmp_path),
    )
    assert done.returncode != 0 and "CHUNFENG_ALLOWED_HOSTS" in done.stderr
