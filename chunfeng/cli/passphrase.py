"""Where the secret that seals a backup comes from — never the command line, where every user
of the machine can read it (``ps``) and the shell's history keeps it: a key file kept
elsewhere (``--key-file``), else ``CHUNFENG_BACKUP_PASSPHRASE``, else the terminal (asked
twice for a new backup), else one line of standard input (for scripts)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from .databases import BackupError
from .sealed import MIN_PASSPHRASE, Secret

ENV = "CHUNFENG_BACKUP_PASSPHRASE"


def secret_from(*, key_file: str | None, new: bool, stdin) -> Secret:
    if key_file:
        return Secret.key_file(Path(key_file))
    if os.environ.get(ENV):
        text, source = os.environ[ENV], f"口令（环境变量 {ENV}）"
    elif stdin.isatty():
        text, source = getpass.getpass("备份口令："), "口令"
        if new and getpass.getpass("再输入一次：") != text:
            raise BackupError("两次输入的口令不一样", code="passphrase")
    else:
        text, source = stdin.readline().rstrip("\r\n"), "口令（标准输入）"
    if not text:
        raise BackupError(
            f"没有口令：请设置环境变量 {ENV}、在终端输入或从标准输入提供，或者用 --key-file",
            code="passphrase",
        )
    if new and len(text) < MIN_PASSPHRASE:
        raise BackupError(
            f"口令太短：至少 {MIN_PASSPHRASE} 个字符（一句好记的话最好）", code="passphrase"
        )
    return Secret.passphrase(text, source)
