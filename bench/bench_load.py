"""Benchmark: a bounded mixed load of simulated users (locust, headless, loopback only) against
``chunfeng serve`` (gunicorn, the production-like server) on the national-shaped federation
on PostgreSQL.

    python3 -m venv .venv-load && .venv-load/bin/pip install -r bench/requirements.txt  # once
    python bench/bench_national.py --households 100000 --generate-only \\
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_scale_100k
    python bench/bench_load.py --users 200 --time 3m \\
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_scale_100k

It uses a database that ``bench_national.py`` built (its name must contain "bench": the run
writes to it). It makes ``--users`` filler accounts, half of county-level unions and half of
grassroots unions (``load_…``, kept for the next run), puts their units' 附件1 back to draft
so that they can be saved, starts ``python -m chunfeng serve --port PORT`` on 127.0.0.1 with
the same database, runs ``locust -f bench/locustfile.py --headless`` from ``.venv-load`` for
``--time``, stops the server, and prints each request kind's count, failures, p50 and p95 (ms)
from locust's CSV, with the load average. The users start ``--spawn-rate`` a second with a session
made beforehand (Django's ``force_login``), except ``--logins`` of them, which log in through
the form (the password hash is slow on purpose: 200 at once were most of a first run's work);
each waits ``--wait`` seconds (a person reading or filling a page) between requests. The
figures count from the moment all users are running (``--reset-stats``). Nothing is
asserted."""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PASSWORD = "load-bench-Pass-2012"


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def prepare(users: int) -> dict:
    """The accounts (made once), their units' reports back to draft, and each one's URLs."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from chunfeng.accounts.models import User
    from chunfeng.accounts.services import user_create
    from chunfeng.campaigns.models import Campaign
    from chunfeng.demo.national import ROOT_CODE
    from chunfeng.orgunits.models import OrgUnit, UnitKind
    from chunfeng.reports.models import Report, ReportStatus

    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit(
            "refusing: the database's name or SQLite path must contain 'bench' (the run writes)"
        )
    root = OrgUnit.objects.get(code=ROOT_CODE)
    campaign = Campaign.objects.filter(owner=root).order_by("pk").first()  # not the previous
    half = users // 2
    counties = list(OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("code")[:half])
    grassroots = list(
        OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("code")[: users - len(counties)]
    )
    accounts, hashed = [], None
    made = set(User.objects.filter(username__startswith="load_").values_list("username", flat=True))
    for unit in counties + grassroots:
        name = f"load_{unit.code}"
        if name in made:
            pass
        elif hashed is None:  # the first through the service (its password checks), …
            hashed = user_create(
                username=name, unit=unit, role="filler", password=PASSWORD
            ).password
        else:  # … the others with its hash: hashing is slow on purpose (seconds under load)
            User.objects.create(username=name, unit=unit, role="filler", password=hashed)
        accounts.append(
            {
                "username": name,
                "entry": f"/campaigns/{campaign.pk}/reports/{unit.code}/F1/",
                "summary": f"/campaigns/{campaign.pk}/summary/{unit.code}/F1/",
            }
        )
    # made by the service, an account must change its password first (every page redirects)
    User.objects.filter(username__startswith="load_").update(must_change_password=False)
    Report.objects.filter(campaign_form__campaign=campaign, unit__in=counties + grassroots).update(
        status=ReportStatus.DRAFT
    )
    # a session for each account, made as Django's test client makes one: the users start
    # logged in, so that the run measures the pages and not 200 password hashes at once (a
    # few users still log in through the form, to time it)
    from django.conf import settings
    from django.test import Client

    for account in accounts:
        client = Client()
        client.force_login(User.objects.get(username=account["username"]))
        account["session"] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"password": PASSWORD, "cookie": settings.SESSION_COOKIE_NAME, "users": accounts}


def wait_up(url: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started a second")
    parser.add_argument("--time", default="5m", help="locust's --run-time, the ramp included")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument(
        "--wait", default="10,30", help="seconds a user reads a page before the next (min,max)"
    )
    parser.add_argument("--logins", type=int, default=5, help="users that log in by the form")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    # the server's data directory, for this process too: the secret key lives there, and the
    # sessions made beforehand are signed with it
    os.environ["CHUNFENG_DATA_DIR"] = str(CACHE / "load-data")
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    accounts = CACHE / "load_users.json"
    accounts.write_text(json.dumps(prepare(args.users)))
    env = dict(
        os.environ,
        LOAD_USERS=str(accounts),
        LOAD_WAIT=args.wait,
        LOAD_LOGINS=str(args.logins),
    )
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "chunfeng", "serve", "--host", "127.0.0.1",
         "--port", str(args.port), "--workers", str(args.workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(CACHE / "load-server.log", "w"),
    )  # fmt: skip
    try:
        wait_up(f"{host}/login/")
        print(f"server up ({args.workers} gunicorn workers × 4 threads) [{load()}]", flush=True)
        prefix = CACHE / "load"
        locust = ROOT / ".venv-load" / "bin" / "locust"
        subprocess.run(
            [str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
             "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
             "--reset-stats"],
            cwd=ROOT, env=env, check=False,
        )  # fmt: skip
        print(f"after the run [{load()}]")
        report(Path(f"{prefix}_stats.csv"), Path(f"{prefix}_failures.csv"))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def report(stats: Path, failures: Path) -> None:
    print(f"{'request':28s} {'count':>7s} {'failed':>7s} {'p50 ms':>8s} {'p95 ms':>8s}")
    with stats.open() as f:
        for row in csv.DictReader(f):
            print(
                f"{row['Name']:28s} {row['Request Count']:>7s} {row['Failure Count']:>7s} "
                f"{row['50%']:>8s} {row['95%']:>8s}"
            )
    if failures.exists():
        with failures.open() as f:
            for row in csv.DictReader(f):
                print(
                    f"failure: {row['Method']} {row['Name']}: {row['Error']} × {row['Occurrences']}"
                )


if __name__ == "__main__":
    main()
