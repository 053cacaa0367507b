"""A zip bomb uploaded as a report template: how long the refusal takes and what memory it costs.

    .venv/bin/python bench/bench_zip_bomb.py [--unpacked-mb 52]

Builds an xlsx whose one sheet unpacks to 52 MB (about 160 KB on disk, like the file of issue 9),
loads the demo data into a fresh SQLite database in a temporary directory, and in a process of
its own for each measure (so that ``ru_maxrss`` belongs to it):

* (a) the reader alone: ``sheets.reader.read_upload`` (``core.tables.workbook_sheets`` with the
  template's bounds);
* (b) the import page: ``zs_filler`` posts the file to 附件1's import page through Django's test
  client, after one GET so that templates and the session are loaded outside the measure.

Each prints the wall time, the growth of ``ru_maxrss`` over the process before the call, and
the tracemalloc peak of a second, traced call.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(path: Path, unpacked_mb: int) -> None:
    from tests.core.hostile import zip_bomb

    path.write_bytes(zip_bomb(unpacked_mb))


def measure(call) -> str:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = call()
    elapsed = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return f"{elapsed:.3f} s, ru_maxrss +{grown / 1024:.1f} MB, tracemalloc peak {peak / 2**20:.1f} MB — {outcome}"


def reader(path: Path) -> str:
    from chunfeng.core.errors import ApplicationError
    from chunfeng.sheets.reader import read_upload

    data = path.read_bytes()

    def call():
        try:
            read_upload(data, path.name)
        except ApplicationError as exc:
            return f"refused ({exc.code})"
        return "read"

    return measure(call)


def page(path: Path) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from chunfeng.campaigns.models import Campaign

    client = Client()
    assert client.login(username="zs_filler", password="chunfeng2012")
    url = f"/campaigns/{Campaign.objects.get().pk}/reports/210202/F1/import/"
    client.get(url)
    data = path.read_bytes()

    def call():
        response = client.post(url, {"file": SimpleUploadedFile(path.name, data)})
        return f"HTTP {response.status_code}"

    return measure(call)


def child(kind: str, path: Path) -> None:
    import logging

    import django

    logging.disable(logging.WARNING)  # Django's "Bad Request" line for each refusal
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    print(f"({kind[0]}) {kind}: {(reader if kind == 'reader' else page)(path)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unpacked-mb", type=int, default=52)
    parser.add_argument("--child", choices=["reader", "page"])
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file)
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CHUNFENG_DATA_DIR": tmp, "CHUNFENG_FAST_HASHER": "1"}
        env.pop("DATABASE_URL", None)
        bomb = Path(tmp) / "报表.xlsx"
        build(bomb, args.unpacked_mb)
        print(f"zip bomb: {bomb.stat().st_size / 1024:.0f} KB, unpacks to {args.unpacked_mb} MB")
        chunfeng = [sys.executable, "-m", "chunfeng"]
        demo = [*chunfeng, "serve", "--demo", "--no-serve"]
        subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)
        for kind in ("reader", "page"):
            command = [sys.executable, __file__, "--child", kind, "--file", str(bomb)]
            subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
