"""`chunfeng backup` and `chunfeng restore`, on the database the suite runs on: a backup of the
test database restored into an empty one of the same kind (a fresh SQLite file, or a scratch
PostgreSQL database named after the test database) gives every table the same rows."""

import io
import os
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from chunfeng.cli.backup import Installation, backup_create, backup_restore
from chunfeng.cli.databases import BackupError
from chunfeng.cli.installation import known_migrations, this_installation
from chunfeng.cli.sealed import CHUNK, Secret
from tests.fixtures import build_federation
from tests.funds.helpers import batch, household, pay

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "春风送暖 backup passphrase"
SECRET = Secret.passphrase(PASSPHRASE)


@pytest.fixture
def source(settings, tmp_path, monkeypatch):
    """The test database with a federation, households and a payment, two uploaded files and
    the data folder's secret key."""
    monkeypatch.delenv("CHUNFENG_SECRET_KEY", raising=False)
    monkeypatch.setenv("CHUNFENG_BACKUP_PASSPHRASE", PASSPHRASE)
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    (settings.MEDIA_ROOT / "work_reports" / "7").mkdir(parents=True)
    (settings.MEDIA_ROOT / "work_reports" / "7" / "工作总结.docx").write_bytes(b"PK\x03\x04 docx")
    (settings.MEDIA_ROOT / "notice.txt").write_text("通知", encoding="utf-8")
    (settings.DATA_DIR / "secret_key").write_text("the-data-folders-own-key")
    fed = build_federation()
    filler = fed.user("zs", "filler")
    paid = batch(fed, fed.zs, filler)
    for seq in range(1, 4):
        pay(paid, filler, household(fed.zs, seq, f"职工{seq}", phone=f"1380000000{seq}"))
    return fed


@pytest.fixture(scope="session")
def scratch(django_db_setup):
    """On PostgreSQL, a database named after the test database, made once, dropped at the end
    (dropping a database waits for a checkpoint: once is enough)."""
    entry = dict(django_settings.DATABASES["default"])
    if entry["ENGINE"].endswith("sqlite3"):
        yield None
        return
    name = f"{entry['NAME']}_restore"
    _admin(entry, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(entry, f'CREATE DATABASE "{name}"')
    yield name
    _admin(entry, f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def target(scratch, tmp_path):
    """An empty database of the suite's kind, and a data folder of its own."""
    entry = dict(django_settings.DATABASES["default"])
    if scratch is None:
        entry["NAME"] = str(tmp_path / "restored" / "chunfeng.sqlite3")
    else:
        entry["NAME"] = scratch
        _admin(entry, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    data = tmp_path / "restored"
    return Installation(database=entry, media_root=data / "media", secret_key_file=data / "key")


def _admin(entry, statement):
    params = {"dbname": entry["NAME"], "host": entry.get("HOST"), "port": entry.get("PORT")}
    params |= {"user": entry.get("USER"), "password": entry.get("PASSWORD")}
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as c:
        c.execute(statement)


def _backup(tmp_path, *args) -> Path:
    path = tmp_path / "chunfeng.backup"
    out = io.StringIO()
    call_command("backup", str(path), *args, stdout=out)
    assert "已备份到" in out.getvalue() and "含密钥文件" in out.getvalue()
    return path


def _restore(target, path, secret=SECRET, force=False):
    return backup_restore(
        installation=target,
        path=path,
        secret=secret,
        force=force,
        known_migrations=known_migrations(),
    )


def test_restored_into_an_empty_database_every_table_is_the_same(source, target, tmp_path):
    path = _backup(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert b"\xe8\x81\x8c\xe5\xb7\xa5" not in path.read_bytes()  # 职工: nothing in clear

    restored = _restore(target, path)

    before, after = this_installation().engine().summary(), target.engine().summary()
    assert after.tables == before.tables  # every table: row count and checksum of the rows
    assert after.tables["register_household"]["rows"] == 3
    assert restored.manifest["tables"] == before.tables
    assert restored.manifest["migrations"] == before.migrations
    assert restored.manifest["database"] == target.engine().kind
    assert (target.media_root / "work_reports" / "7" / "工作总结.docx").read_bytes() == (
        b"PK\x03\x04 docx"
    )
    assert (target.media_root / "notice.txt").read_text(encoding="utf-8") == "通知"
    assert target.secret_key_file.read_text() == "the-data-folders-own-key"
    assert target.secret_key_file.stat().st_mode & 0o777 == 0o600

    # now the target holds data: refused without --force, and says so
    with pytest.raises(BackupError, match="已有数据.*--force"):
        _restore(target, path)
    _restore(target, path, force=True)
    assert target.engine().summary().tables == before.tables
    assert any(
        p.name.startswith("media.before-restore-") for p in target.media_root.parent.iterdir()
    )


def test_a_wrong_passphrase_a_tampered_or_cut_file_is_refused(source, target, tmp_path):
    # a cheaper scrypt (the header says which): each try below derives the key again
    path = tmp_path / "chunfeng.backup"
    backup_create(installation=this_installation(), path=path, secret=SECRET, scrypt_log2n=14)
    data = path.read_bytes()
    assert len(data) < CHUNK  # one chunk: the tag of the last one guards the end
    with pytest.raises(BackupError, match="口令不对：解不开备份文件"):
        _restore(target, path, Secret.passphrase("not the passphrase at all"))
    with pytest.raises(BackupError, match="是用口令加密的"):
        _restore(target, path, Secret(b"k" * 32, True, "密钥文件"))

    def refused(content: bytes, message: str):
        path.write_bytes(content)
        with pytest.raises(BackupError, match=message):
            _restore(target, path)
        assert not target.engine().has_data()  # nothing restored

    middle = len(data) // 2
    refused(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :], "不完整|已损坏或被改动")
    refused(data[:-100], "不完整")
    refused(data + b"\0", "不完整|已损坏或被改动")
    refused(b"PK\x03\x04" + data[4:], "不是春风的备份文件")
    path.write_bytes(data)
    other = "postgresql" if target.engine().kind == "sqlite" else "sqlite3"
    elsewhere = Installation(
        database={"ENGINE": f"django.db.backends.{other}", "NAME": str(tmp_path / "x")},
        media_root=tmp_path / "m",
        secret_key_file=None,
    )
    with pytest.raises(BackupError, match="只能恢复到同一种数据库"):
        _restore(elsewhere, path)
    assert _restore(target, path).manifest["tables"]


def test_key_file_and_the_command_line(source, target, tmp_path, monkeypatch):
    key = tmp_path / "elsewhere" / "backup.key"
    key.parent.mkdir()
    key.write_bytes(os.urandom(32))
    path = _backup(tmp_path, "--key-file", str(key))
    with pytest.raises(BackupError, match="是用密钥文件加密的"):
        _restore(target, path)
    assert _restore(target, path, Secret.key_file(key)).manifest["secret_key"] is True

    # the command: the passphrase from standard input; the suite's own database is not empty
    monkeypatch.delenv("CHUNFENG_BACKUP_PASSPHRASE")
    path = _backup_from_stdin(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    with pytest.raises(CommandError, match="已有数据.*--force"):
        call_command("restore", str(path))
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="口令太短"):
        call_command("backup", str(tmp_path / "other.backup"))
    assert not (tmp_path / "other.backup").exists()


def _backup_from_stdin(tmp_path) -> Path:
    old = sys.stdin
    sys.stdin = io.StringIO(PASSPHRASE + "\n")
    try:
        return _backup(tmp_path)
    finally:
        sys.stdin = old
