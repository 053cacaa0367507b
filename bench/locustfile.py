"""Locust users for ``bench_load.py``: each logs in with one account of its own (a filler of a
county-level union or of a grassroots union of the national-shaped federation) and then keeps
going through the pages a filler uses, with a pause between them (``LOAD_WAIT``, 10–30 s by
default: a person reading or filling a page). Most start with a session made beforehand, the
first ``LOAD_LOGINS`` log in through the form:

* the home page, the register list (first page), the entry page of its unit's 附件1;
* the 汇总 of its unit (a county's hundred grassroots unions; a grassroots union's own);
* now and then a save of the 附件1 (one changed value, with the page's CSRF token and version).

The accounts are read from the file that ``bench_load.py`` writes (``LOAD_USERS``). Run by
``bench_load.py``; by hand::

    LOAD_USERS=bench/.cache/load_users.json .venv-load/bin/locust -f bench/locustfile.py \\
        --headless -u 200 -r 5 -t 5m --reset-stats --host http://127.0.0.1:8765

Loopback only: the host must be 127.0.0.1 or localhost."""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ.get("LOAD_USERS", "bench/.cache/load_users.json")).read())
_next = itertools.count()
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d*)"')


@events.test_start.add_listener
def _loopback_only(environment, **_kw):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"loopback only: refusing to load {host}")


class Filler(HttpUser):
    wait_time = between(*(float(x) for x in os.environ.get("LOAD_WAIT", "10,30").split(",")))

    def on_start(self):
        with _lock:
            number = next(_next)
            self.account = ACCOUNTS["users"][number % len(ACCOUNTS["users"])]
        self.entry = self.account["entry"]
        self.summary = self.account["summary"]
        self.saves = 0
        if number >= int(os.environ.get("LOAD_LOGINS", "5")):  # a session made beforehand
            self.client.cookies.set(ACCOUNTS["cookie"], self.account["session"])
            return
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/login/",
            {
                "username": self.account["username"],
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": token,
            },
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login failed for {self.account['username']}")

    def _page(self, url: str, name: str):
        """A GET that must answer the page itself: a redirect (to the login or the password
        change) counts as a failure."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or response.history:
                response.failure(f"{url} answered {response.status_code} via {response.history}")
            return response

    @task(3)
    def home(self):
        self._page("/", "home")

    @task(3)
    def register(self):
        self._page("/register/", "register list")

    @task(2)
    def summary(self):
        self._page(self.summary, "汇总 page")

    @task(3)
    def entry(self):
        self._page(self.entry, "entry page")

    @task(1)
    def save(self):
        page = self._page(self.entry, "entry page (before a save)")
        token, version = CSRF.search(page.text), VERSION.search(page.text)
        if token is None or version is None:
            return
        self.saves += 1
        with self.client.post(
            self.entry,
            {
                "csrfmiddlewaretoken": token.group(1),
                "version": version.group(1),
                "v-01A": str(1000 + self.saves),
            },
            name="save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"save answered {response.status_code}")
