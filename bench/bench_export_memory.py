"""Benchmark: how much a process's memory grows while it makes each large export — the 汇总
xlsx and PDF, the unit-by-blank table (xlsx and CSV) of a county with N grassroots unions, each
with an approved 附件1 (77 blanks), and the register list of H households (issue 13 §1: at most
100 MB for any 汇总 page or export at N = 10,000).

    python bench/bench_export_memory.py --units 10000 --households 100000   # its own SQLite
    python bench/bench_export_memory.py --units 10000 --households 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/chunfeng_bench_exports

The federation is ``chunfeng.demo.national`` shaped as one city, one county and ``--units``
grassroots unions with ``--households`` households (built once; with a PostgreSQL URL the
database is dropped and created again first, so its name must contain "bench"). Each export is
then made in a process of its own, twice: once for ``ru_maxrss`` (the peak resident size, less
the peak before the export, after a warm-up that loads the modules and the font) and once under
``tracemalloc`` (the peak of Python's allocations during the export; slower, so apart). The
direct download goes through Django's test client as the page's user asks for it (the file
consumed block by block, as a server sends it); ``--worker`` makes the same files by the job a
worker runs (the page's POST starts it, the process runs it as ``chunfeng worker`` would).
Nothing is asserted."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_entry_page import _fresh_pg_database  # noqa: E402 - after the path is set

SMALL_UNIT = "N860101001"  # the county's first grassroots union
EXPORTS = ("summary.xlsx", "summary.pdf", "table.xlsx", "table.csv", "register.xlsx")
PAGES = ("summary.page", "table.page")  # the 汇总 page and the unit table page, for comparison
BATCH = ("batch.sign.pdf", "batch.notice.pdf")  # a payment batch's prints (--batch-lines)


def _django(url: str | None, data_dir: str, *, in_request: bool) -> None:
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["CHUNFENG_DATA_DIR"] = data_dir
    big = "1000000000" if in_request else "0"  # every export in the request, or every one a job
    os.environ["CHUNFENG_EXPORT_IN_REQUEST_UNITS"] = big
    os.environ["CHUNFENG_EXPORT_IN_REQUEST_ROWS"] = big
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def build(args) -> None:
    """The federation and two users: a reviewer of the county (汇总) and a viewer of the city."""
    if args.database_url:
        _fresh_pg_database(args.database_url)
    _django(args.database_url, args.data_dir, in_request=True)
    from django.core.management import call_command

    from chunfeng.accounts.services import user_create
    from chunfeng.demo.national import Shape, national_build
    from chunfeng.orgunits.models import OrgUnit, UnitKind

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    built = national_build(shape=Shape(1, 1, args.units, args.households))
    county = OrgUnit.objects.get(kind=UnitKind.COUNTY)
    user_create(username="bench_reviewer", unit=county, role="reviewer", password="x" * 12)
    user_create(username="bench_viewer", unit=built.root, role="viewer", password="x" * 12)
    state = {"campaign": built.campaign.pk, "county": county.code}
    Path(args.data_dir, "bench.json").write_text(json.dumps(state))
    big_batch(args)
    print(
        f"built in {time.perf_counter() - start:.0f} s: {built.reports:,} approved reports, "
        f"{built.households:,} households"
    )


def big_batch(args) -> None:
    """One payment batch given the campaign's first ``--batch-lines`` lines (each grassroots
    union's own batch holds a handful), for its prints. Asked again with another number, the
    same batch is given that many: lines beyond it go to another grassroots union's batch (not
    the one the warm-up prints)."""
    from chunfeng.funds.models import PaymentBatch, PaymentLine

    state = json.loads(Path(args.data_dir, "bench.json").read_text())
    if state.get("batch_lines") == args.batch_lines:
        return
    batches = PaymentBatch.objects.filter(campaign_id=state["campaign"]).order_by("pk")
    batch, spare = batches[0], batches[2]
    lines = PaymentLine.objects.filter(campaign_id=state["campaign"]).order_by("pk")
    keys = list(lines.values_list("pk", flat=True)[: args.batch_lines])
    PaymentLine.objects.filter(batch=batch).exclude(pk__in=keys).update(batch=spare)
    PaymentLine.objects.filter(pk__in=keys).update(batch=batch)
    state["batch"], state["batch_lines"] = batch.pk, args.batch_lines
    Path(args.data_dir, "bench.json").write_text(json.dumps(state))
    print(f"batch {batch.pk}: {len(keys):,} lines")


def _request(client, export: str, state: dict, method: str = "get"):
    if export.startswith("batch."):
        name = {"sign": "sign-sheet.pdf", "notice": "notice.pdf"}[export.split(".")[1]]
        return getattr(client, method)(f"/funds/batches/{state['batch']}/{name}")
    if export == "register.xlsx":
        return getattr(client, method)("/register/export.xlsx")
    what, ext = export.split(".")
    base = f"/campaigns/{state['campaign']}/summary/{state['county']}/F1/"
    if ext == "page":
        return getattr(client, method)(base + ("" if what == "summary" else "table/"))
    return getattr(client, method)(base + ("file." if what == "summary" else "table.") + ext)


def _consume(response) -> int:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return sum(len(block) for block in response.streaming_content)
    return len(response.content)


def measure(args) -> None:
    """In its own process: one export, its memory printed as JSON on the last line."""
    _django(args.database_url, args.data_dir, in_request=not args.worker)
    from django.contrib.auth import get_user_model
    from django.test import Client

    state = json.loads(Path(args.data_dir, "bench.json").read_text())
    who = "bench_viewer" if args.measure == "register.xlsx" else "bench_reviewer"
    client = Client()
    client.force_login(get_user_model().objects.get(username=who))
    make = _worker(client, state, args.measure) if args.worker else _direct(client, state)
    make(args.measure, warm=True)  # the modules, the font, the connection: not the export's
    if args.trace:
        import tracemalloc

        tracemalloc.start()
        size = make(args.measure)
        _current, peak = tracemalloc.get_traced_memory()
        print(json.dumps({"trace_mb": peak / 2**20, "bytes": size}))
        return
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    size = make(args.measure)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    growth = (after - before) / 1024
    print(json.dumps({"rss_mb": growth, "peak_mb": after / 1024, "s": took, "bytes": size}))


def _direct(client, state):
    def make(export: str, warm: bool = False) -> int:
        if warm:  # a grassroots union with nothing below it: the same code, next to no data
            if export.startswith("batch."):  # another grassroots union's batch of a few lines
                return _consume(_request(client, export, {**state, "batch": state["batch"] + 1}))
            if export == "register.xlsx":
                return _consume(client.get("/register/export.xlsx", {"unit": SMALL_UNIT}))
            return _consume(_request(client, export, {**state, "county": SMALL_UNIT}))
        return _consume(_request(client, export, state))

    return make


def _worker(client, state, export: str):
    from chunfeng.jobs.models import Job
    from chunfeng.jobs.tasks import job_run

    def make(name: str, warm: bool = False) -> int:
        if warm:
            return 0
        page = _request(client, name, state, "post")
        assert page.status_code == 200, page.status_code
        job = Job.objects.order_by("-pk").first()
        target = _targets()[job.kind]
        assert job_run(job.pk, target) == "done", Job.objects.get(pk=job.pk).message
        return Job.objects.get(pk=job.pk).file.size

    return make


def _targets() -> dict[str, str]:
    from chunfeng.register.list_export import TARGET as REGISTER
    from chunfeng.sheets.export_jobs import TARGET as SUMMARY

    return {"export:summary": SUMMARY, "export:table": SUMMARY, "export:register": REGISTER}


def _child(args, export: str, trace: bool) -> dict:
    command = [sys.executable, __file__, "--measure", export, "--data-dir", args.data_dir]
    if args.database_url:
        command += ["--database-url", args.database_url]
    command += ["--trace"] if trace else []
    command += ["--worker"] if args.worker else []
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{export} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--data-dir", help="reuse a built SQLite data folder")
    parser.add_argument("--batch-lines", type=int, default=5000)
    parser.add_argument(
        "--only", nargs="*", choices=EXPORTS + PAGES + BATCH, default=list(EXPORTS + BATCH)
    )
    parser.add_argument("--worker", action="store_true", help="the exports made by jobs")
    parser.add_argument("--measure", choices=EXPORTS + PAGES + BATCH, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return
    if not args.data_dir:
        args.data_dir = tempfile.mkdtemp(prefix="chunfeng-bench-exports-")
        build(args)
    elif any(e in BATCH for e in args.only):
        _django(args.database_url, args.data_dir, in_request=True)
        big_batch(args)
    print(f"data folder: {args.data_dir} ({'worker' if args.worker else 'in the request'})")
    for export in args.only:
        rss, trace = _child(args, export, False), _child(args, export, True)
        print(
            f"{export:14s} RSS growth {rss['rss_mb']:7.1f} MB (peak {rss['peak_mb']:.0f} MB), "
            f"tracemalloc peak {trace['trace_mb']:7.1f} MB, {rss['s']:6.1f} s, "
            f"{rss['bytes'] / 2**20:.1f} MB file",
            flush=True,
        )


if __name__ == "__main__":
    main()
