"""The secret key: from the environment, else made once per installation and kept private."""

import stat

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
