"""Values the database keeps but must not be able to read by itself: the full personal numbers
of a change (the old and the new bank account of a household), sealed in its history.

The history shows masked values (contract (a)); the full ones are kept beside them encrypted
with Fernet (AES-128-CBC with an HMAC, from the ``cryptography`` package) under a key held
outside the database: ``CHUNFENG_AUDIT_KEY`` (a Fernet key, or any passphrase, which is then
stretched into one; several separated by commas when the key is rotated: the first seals, all
open), else a key made once in the data folder (``data/audit_key``, mode 600). A copy of the
database alone — a backup, a dump handed to a contractor — thus discloses no full number of
the history. Losing the key loses only the sealed values, never a record.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed

from .errors import ApplicationError

KEY_FILE = "audit_key"


def _as_fernet_key(text: str) -> bytes:
    """A Fernet key as given, or one derived from a passphrase."""
    raw = text.strip().encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(b"chunfeng-audit-key:" + raw).digest())


def _key_file(folder: Path) -> str:
    """The installation's key file, made at the first use (mode 600, never overwritten)."""
    path = folder / KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        key = Fernet.generate_key().decode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


@cache
def _fernet() -> MultiFernet:
    configured = getattr(settings, "CHUNFENG_AUDIT_KEY", "") or ""
    keys = [k for k in configured.split(",") if k.strip()] or [_key_file(settings.DATA_DIR)]
    return MultiFernet([Fernet(_as_fernet_key(k)) for k in keys])


def _forget_key(*, setting: str, **kwargs: Any) -> None:
    if setting in ("CHUNFENG_AUDIT_KEY", "DATA_DIR"):
        _fernet.cache_clear()


setting_changed.connect(_forget_key)


def seal(values: dict[str, Any]) -> str:
    """``values`` (JSON-able) as one encrypted token, to keep in an audit row."""
    data = json.dumps(values, ensure_ascii=False, sort_keys=True).encode()
    return _fernet().encrypt(data).decode()


def unseal(token: str) -> dict[str, Any]:
    """The values of ``seal``; ``ApplicationError`` when this installation's key cannot open
    them (the key was changed without keeping the old one)."""
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        raise ApplicationError(
            "无法解密这条记录中的完整号码：审计密钥（CHUNFENG_AUDIT_KEY）与加密时所用的不同",
            code="sealed_unreadable",
        ) from None
