"""Two web servers and a separate worker on one PostgreSQL database, as on several machines:
nothing a request needs is kept in one process. A user logged in on server A is logged in on
server B; a household list uploaded through A is checked and imported by the worker and its
outcome read through B; a large 汇总 export started on A is made by the worker and downloaded
through B. Each process has its own data folder; they share only the database, the secret key
and the file storage (a folder here, as NFS or object storage would be).

PostgreSQL only (SQLite is one machine's file): it runs in the PostgreSQL pass of `.ci/run`."""

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import ExitStack

import pytest
import requests
from django.db import connection

from chunfeng.register.models import Household
from tests.fixtures import PASSWORD
from tests.register.conftest import make_id, row, xlsx_bytes
from tests.sheets.test_views_cli import approve_two

from .test_worker import database_url

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 45  # seconds for a server to answer or a job to finish


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def machines(tmp_path):
    """→ (url of A, url of B); the worker runs beside them until the test ends."""
    if connection.vendor != "postgresql":
        pytest.skip("several servers share a PostgreSQL database (the PostgreSQL pass of CI)")
    shared = {
        "DATABASE_URL": database_url(),
        "CHUNFENG_SECRET_KEY": "the-installation's-one-key",
        "CHUNFENG_AUDIT_KEY": "the tests' audit key",
        "CHUNFENG_MEDIA_ROOT": str(tmp_path / "shared-storage"),
        "CHUNFENG_EXPORT_IN_REQUEST_UNITS": "1",
        "CHUNFENG_FAST_HASHER": "1",
        "DJANGO_SETTINGS_MODULE": "chunfeng.config.settings",
    }
    ports = [free_port(), free_port()]
    with ExitStack() as stack:
        for name, command in [
            *[
                (
                    f"web-{port}",
                    [
                        *(sys.executable, "-m", "gunicorn", "chunfeng.config.wsgi:application"),
                        *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"),
                    ],
                )
                for port in ports
            ],
            ("worker", [sys.executable, "-m", "chunfeng", "worker", "--no-reload"]),
        ]:
            env = os.environ | shared | {"CHUNFENG_DATA_DIR": str(tmp_path / name)}
            log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the stack)
            stack.enter_context(log)
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            stack.callback(_stop, process)
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            _wait(lambda url=url: _answers(url), f"{url} 未启动", tmp_path)
        yield urls


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/health/", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading
        return False


def _wait(condition, message: str, logs=None):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    text = "".join(p.read_text()[-2000:] for p in logs.glob("*.log")) if logs else ""
    raise AssertionError(f"{message}\n{text}")


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def log_in(session: requests.Session, url: str, username: str) -> None:
    token = csrf(session, url + "/login/")
    answer = session.post(
        url + "/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": url + "/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302 and "/login/" not in answer.headers["Location"]


def test_two_servers_and_a_worker_share_nothing_but_the_database_and_storage(fed, machines):
    a, b = machines
    filler = requests.Session()
    log_in(filler, a, "zs_filler")
    home = filler.get(b + "/", allow_redirects=False, timeout=10)  # logged in on B as well
    assert home.status_code == 200 and "zs_filler" in home.text

    # the import: uploaded through A, checked and imported by the worker, seen through B
    token = csrf(filler, a + "/register/import/")
    data = xlsx_bytes([row(1), row(2), row(3)])
    answer = filler.post(
        a + "/register/import/",
        data={"csrfmiddlewaretoken": token, "unit": "210202"},
        files={"file": ("名单.xlsx", data)},
        headers={"Referer": a + "/register/import/"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[-2000:]
    preview = answer.headers["Location"]
    checked = _wait(
        lambda: "全部检查通过" in (t := filler.get(b + preview, timeout=10).text) and t,
        "检查未完成",
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', checked).group(1)
    committed = filler.post(
        b + preview + "commit/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": b + preview},
        allow_redirects=False,
        timeout=10,
    )
    assert committed.status_code == 302
    _wait(lambda: "查看结果" in filler.get(b + preview, timeout=10).text, "导入未完成")
    numbers = set(Household.objects.values_list("id_number", flat=True))
    assert numbers == {make_id(1), make_id(2), make_id(3)}

    # an export: started on A, made by the worker, downloaded through B
    approve_two(fed)
    reviewer = requests.Session()
    log_in(reviewer, a, "city_reviewer")
    export = f"/campaigns/{fed.campaign.pk}/summary/210200/F1/table.csv"
    token = csrf(reviewer, a + export)
    started = reviewer.post(
        a + export,
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": a + export},
        timeout=10,
    )
    job = re.search(r'id="job-(\d+)"', started.text).group(1)
    _wait(lambda: "/file/" in reviewer.get(f"{b}/jobs/{job}/", timeout=10).text, "导出未完成")
    download = reviewer.get(f"{b}/jobs/{job}/file/", timeout=10)
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    table = download.content.decode("utf-8-sig")
    assert "中山区总工会" in table and "合计" in table
    assert filler.get(f"{b}/jobs/{job}/file/", timeout=10).status_code == 404  # not theirs

    health = requests.get(b + "/health/", timeout=10).json()
    assert health["status"] == "ok" and health["workers"]["alive"] == 1
