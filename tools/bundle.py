#!/usr/bin/env python3
"""`./dev bundle [DIR]`: an offline bundle of Chunfeng for a machine without internet access
(government intranets): every pinned package as a wheel, Chunfeng's own wheel, the static files
collected, the CJK font (Debian's .deb and the font file) and an install script. Built on a
machine with the registry at hand, of the target's kind (the same Debian release, architecture
and Python 3.11: some wheels hold compiled code); installed there with `./install.sh`, which
runs `pip install --no-index --find-links wheels` — no package index is asked.

    ./dev bundle                    # → dist/chunfeng-bundle-<version>/ and its .tar.gz
    ./dev bundle /tmp/out --no-archive
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT_PACKAGE = "fonts-wqy-microhei"
FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

INSTALL = """#!/usr/bin/env bash
# Install Chunfeng from this bundle, with no package index: ./install.sh [VENV]  (default .venv)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${1:-.venv}
if ls "$here"/fonts/*.deb >/dev/null 2>&1 && ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then dpkg -i "$here"/fonts/*.deb; else sudo dpkg -i "$here"/fonts/*.deb; fi
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --no-index --find-links "$here/wheels" \\
  -c "$here/requirements.lock" chunfeng=={version}
echo "已安装：$venv/bin/chunfeng（静态文件另见 $here/static，字体见 $here/fonts）"
"""


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description="构建离线安装包")
    parser.add_argument("out", nargs="?", help="目标目录（默认 dist/chunfeng-bundle-<版本>）")
    parser.add_argument("--no-archive", action="store_true", help="不打包为 .tar.gz")
    options = parser.parse_args(argv)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    out = Path(options.out or ROOT / "dist" / f"chunfeng-bundle-{version}").resolve()
    if out.exists():
        shutil.rmtree(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True)
    step("Chunfeng 的 wheel")
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' leftovers: stale modules
    pip("wheel", "--no-deps", "-w", str(wheels), str(ROOT))
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    step("requirements.lock 中每个固定版本的软件包")
    pip("wheel", "--no-deps", "-w", str(wheels), "-r", str(ROOT / "requirements.lock"))
    shutil.copy(ROOT / "requirements.lock", out / "requirements.lock")
    step("静态文件")
    collect_static(out / "static")
    step("中文字体")
    fonts(out / "fonts")
    (out / "install.sh").write_text(INSTALL.replace("{version}", version))
    (out / "install.sh").chmod(0o755)
    count = len(list(wheels.glob("*.whl")))
    print(f"离线安装包：{out}（{count} 个 wheel）")
    if not options.no_archive:
        archive = out.with_name(out.name + ".tar.gz")
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(out, arcname=out.name)
        print(f"压缩包：{archive}")
    return out


def step(text: str) -> None:
    print(f"== {text}", flush=True)


def pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True
    )


def collect_static(target: Path) -> None:
    """Chunfeng's own (htmx vendored) and its packages' static files, as `chunfeng serve`
    collects them, for a proxy that serves them itself."""
    env = os.environ | {"CHUNFENG_STATIC_ROOT": str(target), "CHUNFENG_SECRET_KEY": "bundle"}
    env["CHUNFENG_DATA_DIR"] = str(target.parent / ".build")
    command = [sys.executable, "-m", "chunfeng", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    shutil.rmtree(target.parent / ".build", ignore_errors=True)


def fonts(target: Path) -> None:
    """Debian's package of the font (for dpkg -i) when apt can fetch it, and the font file
    itself (for CHUNFENG_CJK_FONT on another system)."""
    target.mkdir()
    fetched = subprocess.run(
        ["apt-get", "download", FONT_PACKAGE], cwd=target, capture_output=True, text=True
    )
    if fetched.returncode != 0:
        print(f"（未能下载 {FONT_PACKAGE} 的 .deb：{fetched.stderr.strip()[-200:]}）")
    if FONT_FILE.exists():
        shutil.copy(FONT_FILE, target / FONT_FILE.name)
    if not any(target.iterdir()):
        raise SystemExit(f"没有中文字体：请先安装 {FONT_PACKAGE}（apt-get install {FONT_PACKAGE}）")


if __name__ == "__main__":
    main()
