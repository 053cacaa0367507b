"""The README's screenshots, made from the demo data so that they follow the pages.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Builds the demo federation (``chunfeng serve --demo``) in a fresh SQLite database in a temporary
folder, starts the server on a free loopback port, signs in as the demo users with Playwright
driving Debian's /usr/bin/chromium (never a downloaded browser) and saves one PNG per entry of
``SHOTS``. The PNGs are viewport shots, shrunk with optipng when it is installed.
tests/test_screenshots.py checks that every entry's page answers for its user.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
DESKTOP = (1366, 900)
PHONE = (390, 844)


@dataclass(frozen=True)
class Shot:
    file: str  # the PNG's name in docs/screenshots/
    user: str  # the demo user who looks (chunfeng/demo/data.py USERS)
    path: str  # the page, with {campaign} and {household} filled from the demo data
    title: str  # the caption in the README
    size: tuple[int, int] = DESKTOP
    charts: bool = False  # wait until every ECharts chart is drawn


SHOTS = [
    Shot("home-city.png", "city_reviewer", "/", "市总工会首页（审核员）", charts=True),
    Shot("home-grassroots.png", "qnwq_filler", "/", "基层工会首页（填报员）"),
    # the demo campaign goes to the districts and industry unions, so the report being filled in
    # is 中山区's draft (its grassroots unions have no report slot of their own)
    Shot(
        "entry-f1.png",
        "zs_filler",
        "/campaigns/{campaign}/reports/210202/F1/",
        "附件1 填报页（中山区总工会草稿）",
    ),
    Shot(
        "summary-f1.png",
        "city_reviewer",
        "/campaigns/{campaign}/summary/210200/F1/",
        "市总工会 附件1 汇总",
    ),
    Shot("household.png", "qnwq_filler", "/register/{household}/", "困难职工家庭档案（一户一档）"),
    Shot("home-phone.png", "city_reviewer", "/", "市总工会首页（手机）", size=PHONE, charts=True),
    # a street union under 中山区 receives the campaign too (demo/own.py): its 附件2 is to fill
    Shot(
        "entry-grassroots-phone.png",
        "qnwq_filler",
        "/campaigns/{campaign}/reports/210202001/F2/",
        "基层工会 附件2 填报页（手机）",
        size=PHONE,
    ),
    Shot(
        "home-district-picked.png",
        "city_reviewer",
        "/?unit=210202",
        "市总工会查看中山区的看板",
        charts=True,
    ),
]


def demo_ids() -> dict[str, int]:
    """The database ids the paths of ``SHOTS`` need, from the loaded demo data."""
    # Django is set up by the caller (the script below, or pytest)
    from chunfeng.campaigns.models import Campaign
    from chunfeng.register.models import Household

    household = Household.objects.filter(unit__code="210202001").order_by("pk").first()
    assert household is not None, "the demo has no household at 青泥洼桥街道"
    return {"campaign": Campaign.objects.get().pk, "household": household.pk}


def shot_paths(ids: dict[str, int]) -> list[tuple[Shot, str]]:
    return [(shot, shot.path.format(**ids)) for shot in SHOTS]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(data_dir: Path) -> dict[str, int]:
    """Migrate and load the demo into ``data_dir``'s SQLite database; its ids."""
    os.environ["CHUNFENG_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    import django  # only once the environment names the temporary database

    django.setup()
    from django.core.management import call_command  # after django.setup()
    from django.db import connections

    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        # the demo's 12351 cases print their text messages (the console SMS backend)
        call_command("serve", "--demo", "--no-serve", stdout=quiet)
    ids = demo_ids()
    connections.close_all()
    return ids


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"服务未能启动：\n{log.read_text(encoding='utf-8', errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/login/", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("服务 60 秒内没有应答")


def take(base: str, ids: dict[str, int], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright  # the script's only use of Playwright

    from chunfeng.demo.data import DEMO_PASSWORD

    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        for shot, path in shot_paths(ids):
            width, height = shot.size
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN"
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(base + "/login/")
            page.fill("input[name=username]", shot.user)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/")
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            if shot.charts:
                charts = page.locator("[data-chart-src]").count()
                if charts:  # charts.js marks each chart once drawn
                    page.locator("[data-chart-drawn]").nth(charts - 1).wait_for()
                page.wait_for_timeout(800)  # ECharts' entry animation
            target = out / shot.file
            page.screenshot(path=str(target))
            saved.append(target)
            context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description="README 截图（演示数据）")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit("缺少 Debian 的 chromium（apt-get install chromium）")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("DATABASE_URL", "CHUNFENG_ENV", "CHUNFENG_STATIC_ROOT"):
        os.environ.pop(name, None)  # the temporary SQLite database, a development server
    with tempfile.TemporaryDirectory(prefix="chunfeng-shots-") as tmp:
        data_dir = Path(tmp)
        ids = prepare(data_dir)
        port = free_port()
        log = data_dir / "serve.log"
        with open(log, "wb") as sink:
            server = subprocess.Popen(
                [sys.executable, "-m", "chunfeng", "serve", "--no-worker", "--workers", "1"]
                + ["--host", "127.0.0.1", "--port", str(port)],
                env=os.environ.copy(),
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server, log)
            saved = take(base, ids, args.out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", *map(str, saved)], check=True)
    for path in saved:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
