"""The offline bundle (`./dev bundle`, tools/bundle.py) installs Chunfeng on a machine with no
package index: built here, installed into a fresh virtualenv by its install.sh with pip's
configuration, index and any proxy pointed at nothing, and the installed `chunfeng` prepares
an installation (migrations, form definitions, static files).

Slow (building ~90 wheels and installing ~50 takes minutes on the CI machine), so it runs once
per CI run, in the PostgreSQL pass of `.ci/run`, and when asked for (`-m slow` with
CHUNFENG_TEST_BUNDLE=1)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres")
        and os.environ.get("CHUNFENG_TEST_BUNDLE") != "1",
        reason="slow: runs in the PostgreSQL pass of CI (or with CHUNFENG_TEST_BUNDLE=1)",
    ),
]


def offline_env(tmp_path: Path) -> dict:
    """No pip configuration, no index, every proxy a closed port: nothing can be downloaded."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PIP_", "PYTHON"))}
    dead = "http://127.0.0.1:9"
    return env | {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": dead + "/simple",
        "http_proxy": dead,
        "https_proxy": dead,
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "HOME": str(tmp_path),
    }


def test_the_bundle_installs_with_the_package_index_unreachable(tmp_path):
    bundle = tmp_path / "bundle"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "bundle.py"), str(bundle), "--no-archive"],
        check=True,
        timeout=900,
        capture_output=True,
    )
    wheels = {w.name.lower().replace("_", "-") for w in (bundle / "wheels").glob("*.whl")}
    for line in (ROOT / "requirements.lock").read_text().split():
        name, version = line.split("==")
        prefix = f"{name.lower().replace('_', '-')}-{version}-"
        assert any(w.startswith(prefix) for w in wheels), line
    assert any(w.startswith("chunfeng-") for w in wheels)
    assert (bundle / "static" / "chunfeng" / "app.js").exists()
    assert list((bundle / "fonts").glob("*.ttc")) or list((bundle / "fonts").glob("*.deb"))

    env = offline_env(tmp_path)
    venv = tmp_path / "venv"
    installed = subprocess.run(
        ["bash", str(bundle / "install.sh"), str(venv)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    assert not re.search(r"Downloading|Collecting .* from http", installed.stdout)

    run = env | {"CHUNFENG_DATA_DIR": str(tmp_path / "data")}
    run.pop("DATABASE_URL", None)  # a fresh installation on its own SQLite file
    prepared = subprocess.run(
        [str(venv / "bin" / "chunfeng"), "serve", "--no-serve"],
        env=run,
        cwd=tmp_path,  # not the source tree: the installed package only
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    forms = subprocess.run(
        [str(venv / "bin" / "chunfeng"), "forms", "list"],
        env=run,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "送温暖工程统计表" in forms.stdout
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import chunfeng; print(chunfeng.__file__)"],
        env=run,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(venv))
