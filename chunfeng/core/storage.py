"""Files kept through Django's storage API (a local folder, or S3-compatible object storage on
several machines: docs/deploy.md) but read by a library that wants a path on disk (the
spreadsheet reader, python-calamine)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import FileSystemStorage, Storage, default_storage

CHUNK = 1024 * 1024


@contextmanager
def local_path(name: str, storage: Storage | None = None) -> Iterator[Path]:
    """A path on this machine holding the stored file ``name``: the file itself in a local
    folder, else a temporary copy (same suffix), removed when the block ends."""
    storage = storage or default_storage
    local = _own_path(storage, name)
    if local is not None:
        yield local
        return
    fd, temporary = tempfile.mkstemp(suffix=Path(name).suffix, prefix="chunfeng-")
    try:
        with os.fdopen(fd, "wb") as out, storage.open(name, "rb") as source:
            shutil.copyfileobj(source, out, CHUNK)
        yield Path(temporary)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _own_path(storage: Storage, name: str) -> Path | None:
    """The file itself when the storage is a folder of this machine (object storage, and
    Django's in-memory storage, have no file here)."""
    return Path(storage.path(name)) if isinstance(storage, FileSystemStorage) else None
