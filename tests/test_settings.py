"""The secret key: from the environment, else made once per installation and kept private."""

import stat
from pathlib import Path

from chunfeng.config import settings as project_settings


def test_secret_key_made_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("CHUNFENG_SECRET_KEY", raising=False)
    monkeypatch.setattr(project_settings, "DATA_DIR", tmp_path / "data")
    first = project_settings._secret_key()
    assert len(first) >= 50 and first == project_settings._secret_key()
    mode = (tmp_path / "data" / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CHUNFENG_SECRET_KEY", "from-the-environment")
    monkeypatch.setattr(project_settings, "DATA_DIR", tmp_path)
    assert project_settings._secret_key() == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_the_sign_in_and_token_settings_are_in_the_readme():
    readme = (Path(project_settings.PROJECT_DIR) / "README.md").read_text(encoding="utf-8")
    table = [line for line in readme.splitlines() if line.startswith("| `CHUNFENG_")]
    for name, default in (
        ("CHUNFENG_LOGIN_FAILURES_PER_ACCOUNT", "5"),
        ("CHUNFENG_LOGIN_FAILURES_PER_ADDRESS", "100"),
        ("CHUNFENG_LOGIN_LOCK_MINUTES", "30"),
        ("CHUNFENG_PROXY_HEADER", "none"),
        ("CHUNFENG_PROXY_COUNT", "1"),
        ("CHUNFENG_TOKEN_DAYS", "180"),
    ):
        row = next(line for line in table if line.startswith(f"| `{name}` |"))
        assert row.split("|")[2].strip().strip("`") == default, name
