"""One backup file holds a whole installation: a consistent snapshot of the database, the
uploaded files (``MEDIA_ROOT``), the secret key when it is the data folder's, and a manifest —
as a gzip-compressed tar stream, sealed (``sealed``: encrypted and authenticated), since it
holds everyone's personal data.

The manifest comes first in the archive and records the Chunfeng version and its migrations,
the kind of database, every table's row count and checksum, and the files. A restore reads it
before anything else, refuses a database of another kind, a newer Chunfeng, or a database that
holds data (unless told to replace it), unpacks and authenticates the rest into a private
temporary folder, restores, and checks the restored database against the manifest."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from .databases import BackupError, SQLiteDatabase, Summary
from .postgres import PostgresDatabase
from .sealed import SCRYPT_LOG2N, SealedReader, SealedWriter, Secret

FORMAT = 1
MANIFEST = "manifest.json"
SECRET_KEY = "secret_key"
MEDIA = "media"


@dataclass(frozen=True)
class Installation:
    """What a backup is taken from or restored into."""

    database: dict  # an entry of Django's DATABASES
    media_root: Path
    secret_key_file: Path | None  # the data folder's key file; None when the key is set

    def engine(self) -> SQLiteDatabase | PostgresDatabase:
        engine = self.database["ENGINE"]
        if engine.endswith("sqlite3"):
            return SQLiteDatabase(self.database)
        if engine.endswith("postgresql"):
            return PostgresDatabase(self.database)
        raise BackupError(f"不支持备份这种数据库：{engine}", code="unsupported")


@dataclass
class Restored:
    manifest: dict
    notes: list[str] = field(default_factory=list)


def chunfeng_version() -> str:
    try:
        return version("chunfeng")
    except PackageNotFoundError:  # a source tree that is not installed
        return "unknown"


# --- backup ------------------------------------------------------------------------------------


def backup_create(
    *, installation: Installation, path: Path, secret: Secret, scrypt_log2n: int = SCRYPT_LOG2N
) -> dict:
    """Write the sealed archive to ``path`` (through ``path.partial``, renamed when complete,
    mode 600) and answer its manifest. ``scrypt_log2n``: the passphrase's cost (the header
    records it), lowered only where the archive guards nothing, as in the tests."""
    database = installation.engine()
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="chunfeng-backup-") as work:
        dump = Path(work) / database.dump_name
        summary = database.snapshot(dump)
        media = _media_files(installation.media_root)
        key = installation.secret_key_file
        with_key = key is not None and key.is_file()
        manifest = _manifest(database.kind, summary, media, with_key)
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as exc:
            raise BackupError(f"写不了备份文件 {path}：{exc.strerror}", code="no_file") from None
        try:
            with os.fdopen(fd, "wb") as out:
                sealed = SealedWriter(out, secret, scrypt_log2n=scrypt_log2n)
                with gzip.GzipFile(fileobj=sealed, mode="wb", compresslevel=1, mtime=0) as zipped:
                    with tarfile.open(fileobj=zipped, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
                        tar.add(dump, arcname=database.dump_name)
                        if with_key:
                            tar.add(key, arcname=SECRET_KEY)
                        for file, name in media:
                            tar.add(file, arcname=name)
                sealed.close()
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _manifest(kind: str, summary: Summary, media: list, with_key: bool) -> dict:
    return {
        "format": FORMAT,
        "chunfeng_version": chunfeng_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": kind,
        "migrations": summary.migrations,
        "tables": summary.tables,
        "checksum": summary.checksum,
        "media": {"files": len(media), "bytes": sum(f.stat().st_size for f, _ in media)},
        "secret_key": with_key,
    }


def _media_files(root: Path) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    return [
        (file, f"{MEDIA}/{file.relative_to(root).as_posix()}")
        for file in sorted(root.rglob("*"))
        if file.is_file() and not file.is_symlink()
    ]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- restore -----------------------------------------------------------------------------------


def backup_restore(
    *, installation: Installation, path: Path, secret: Secret, force: bool, known_migrations
) -> Restored:
    """Restore the archive at ``path`` into ``installation``. ``known_migrations``: the
    (app, name) pairs this Chunfeng has, to refuse a backup of a newer one."""
    database = installation.engine()
    try:
        source = path.open("rb")
    except OSError as exc:
        raise BackupError(f"打不开备份文件 {path}：{exc.strerror}", code="no_file") from None
    with source, tempfile.TemporaryDirectory(prefix="chunfeng-restore-") as work:
        sealed = SealedReader(source, secret, name=f"备份文件 {path.name}")
        try:
            manifest, older_backup = _open_archive(
                sealed, Path(work), database, force=force, known_migrations=known_migrations
            )
        except (tarfile.TarError, zlib.error, gzip.BadGzipFile, EOFError, ValueError, KeyError):
            # the stream was authenticated: only a faulty writer makes an archive like this
            raise BackupError("备份文件的内容无法读出（格式错误）", code="damaged") from None
        _check_media(manifest, Path(work) / MEDIA)
        database.restore(Path(work) / database.dump_name)
        after = database.summary()
        wrong = Summary(manifest["tables"]).differences(after)
        if wrong:
            raise BackupError(
                "恢复后的数据库与备份清单不一致：" + "；".join(wrong[:10]), code="mismatch"
            )
        restored = Restored(manifest)
        restored.notes += _put_media(Path(work) / MEDIA, installation.media_root)
        restored.notes += _put_secret_key(Path(work) / SECRET_KEY, manifest, installation)
    if older_backup:
        restored.notes.append(
            "备份来自较早的版本：请运行 chunfeng migrate（chunfeng serve 启动时会自动运行）"
        )
    return restored


def _open_archive(sealed, work: Path, database, *, force: bool, known_migrations):
    """The manifest first, checked against this installation, then the rest unpacked into
    ``work`` and authenticated to the end. Answers the manifest and whether it is older."""
    with gzip.GzipFile(fileobj=sealed, mode="rb") as zipped:
        with tarfile.open(fileobj=zipped, mode="r|") as tar:
            members = iter(tar)
            manifest = _read_manifest(tar, next(members, None))
            older_backup = _check_fits(manifest, database, known_migrations)
            if database.has_data() and not force:
                raise BackupError(
                    f"{database.describe()} 已有数据：恢复会替换其中的全部数据。"
                    "确实要替换时，请加 --force 再运行",
                    code="not_empty",
                )
            _unpack(tar, members, work, database.dump_name)
        zipped.read()  # to the end of the compressed stream
    sealed.finish()  # everything authenticated, to the sealed end
    return manifest, older_backup


def _read_manifest(tar: tarfile.TarFile, member) -> dict:
    if member is None or member.name != MANIFEST or not member.isfile():
        raise BackupError("备份文件里没有清单（manifest.json），不能恢复", code="no_manifest")
    manifest = json.loads(tar.extractfile(member).read())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"备份清单的格式（第 {manifest.get('format')} 版）本程序不认识", code="unknown_format"
        )
    return manifest


def _check_fits(manifest: dict, database, known) -> bool:
    """Refuse another kind of database or a newer Chunfeng; True when this one is newer."""
    kinds = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if manifest["database"] != database.kind:
        raise BackupError(
            f"这是 {kinds.get(manifest['database'], manifest['database'])} 数据库的备份，"
            f"只能恢复到同一种数据库（现在配置的是{database.describe()}）",
            code="other_kind",
        )
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(applied - set(known))
    if unknown:
        raise BackupError(
            f"这份备份来自更新版本的春风（{manifest['chunfeng_version']}，有本程序没有的迁移 "
            f"{'、'.join(f'{a}.{n}' for a, n in unknown[:5])}）：请先升级春风再恢复",
            code="newer_backup",
        )
    return bool(set(known) - applied)


def _unpack(tar: tarfile.TarFile, members, work: Path, dump_name: str) -> None:
    """Only the names a backup holds, only regular files, never outside ``work``."""
    for member in members:
        name = PurePosixPath(member.name)
        allowed = member.name in (dump_name, SECRET_KEY) or (
            name.parts[:1] == (MEDIA,) and len(name.parts) > 1 and ".." not in name.parts
        )
        if member.isdir() and allowed:
            continue
        if not (allowed and member.isfile() and not name.is_absolute()):
            raise BackupError(f"备份文件里有不该有的内容：{member.name}", code="damaged")
        target = work.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as data, target.open("wb") as out:
            shutil.copyfileobj(data, out, 1 << 20)
    if not (work / dump_name).is_file():
        raise BackupError("备份文件里没有数据库", code="damaged")


def _check_media(manifest: dict, media: Path) -> None:
    files = [f for f in media.rglob("*") if f.is_file()] if media.is_dir() else []
    found = {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}
    if found != manifest["media"]:
        raise BackupError(
            f"备份里的上传文件与清单不符（{found['files']} 个，清单 {manifest['media']['files']} 个）",
            code="mismatch",
        )


def _put_media(unpacked: Path, media_root: Path) -> list[str]:
    """The backup's files take the place of the folder; files already there are kept aside."""
    notes = []
    if media_root.is_dir() and any(media_root.iterdir()):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        media_root.rename(aside)
        notes.append(f"原有的上传文件已移到 {aside}")
    elif media_root.is_dir():
        media_root.rmdir()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    if unpacked.is_dir():
        shutil.move(unpacked, media_root)
    else:
        media_root.mkdir()
    return notes


def _put_secret_key(unpacked: Path, manifest: dict, installation: Installation) -> list[str]:
    if not manifest["secret_key"]:
        return ["备份时密钥来自环境变量 CHUNFENG_SECRET_KEY，备份里没有：请设置同一个密钥"]
    if installation.secret_key_file is None:
        return [
            "已设置环境变量 CHUNFENG_SECRET_KEY，备份里的密钥文件未使用：它应当与备份时的密钥相同"
        ]
    key = installation.secret_key_file
    key.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key.with_suffix(".restored"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(unpacked.read_bytes())
    os.replace(key.with_suffix(".restored"), key)
    return [f"已恢复密钥文件 {key}"]
