"""A sealed file: a byte stream encrypted and authenticated in chunks, so that a backup of any
size is written and read with constant memory, and nothing of it is trusted before it checks.

Layout: a 60-byte header, then the chunks. The header holds the magic, the format version, how
the key is derived (scrypt from a passphrase with its cost parameters, or HKDF from a key
file), the random salt, a random nonce prefix, and a check value derived with the key (so that
a wrong passphrase is told apart from a damaged file). Each chunk is 1 MiB of plaintext (the
last one 0 to 1 MiB) sealed with AES-256-GCM; its nonce is the prefix, the chunk's number and a
flag marking the last chunk (the STREAM construction), and the header is its associated data.
So a chunk changed, moved, dropped, or a file cut short or lengthened, fails to open."""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from chunfeng.core.errors import ApplicationError

MAGIC = b"CHUNFENG-BACKUP\n"
VERSION = 1
KDF_SCRYPT, KDF_KEY_FILE = 1, 2
HEADER = struct.Struct(">16sBBBBB16s7s16s")  # magic version kdf log2n r p salt prefix check
CHUNK = 1 << 20
TAG = 16
# scrypt's cost: 128 MiB of memory and about half a second per try, for the one who backs up
# and for anyone guessing the passphrase alike
SCRYPT_LOG2N, SCRYPT_R, SCRYPT_P = 17, 8, 1
MIN_PASSPHRASE = 12
MIN_KEY_FILE = 32


class BackupError(ApplicationError):
    """Anything that stops a backup or a restore, said in Chinese."""


@dataclass(frozen=True)
class Secret:
    """What opens a backup: a passphrase, or the bytes of a key file kept elsewhere."""

    material: bytes
    is_key_file: bool
    source: str  # for messages: where it came from

    @classmethod
    def passphrase(cls, text: str, source: str = "口令") -> Secret:
        return cls(text.encode("utf-8"), False, source)

    @classmethod
    def key_file(cls, path: Path) -> Secret:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BackupError(f"读不了密钥文件 {path}：{exc.strerror}", code="key_file") from None
        if len(data) < MIN_KEY_FILE:
            raise BackupError(
                f"密钥文件 {path} 太短：至少要 {MIN_KEY_FILE} 字节的随机数据"
                f"（例如 head -c 32 /dev/urandom > {path}）",
                code="key_file",
            )
        return cls(data, True, f"密钥文件 {path}")


def _derive(secret: Secret, kdf: int, log2n: int, r: int, p: int, salt: bytes) -> bytes:
    """48 bytes: the AES key, then the check value."""
    if kdf == KDF_SCRYPT:
        return Scrypt(salt=salt, length=48, n=1 << log2n, r=r, p=p).derive(secret.material)
    info = b"chunfeng-backup v1 key file"
    return HKDF(algorithm=hashes.SHA256(), length=48, salt=salt, info=info).derive(secret.material)


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if final else 0)


class SealedWriter:
    """A file-like object to write plaintext into; ``close()`` seals the last chunk. The
    underlying file is left open."""

    def __init__(self, fileobj, secret: Secret, *, scrypt_log2n: int = SCRYPT_LOG2N):
        kdf = KDF_KEY_FILE if secret.is_key_file else KDF_SCRYPT
        log2n, r, p = (0, 0, 0) if secret.is_key_file else (scrypt_log2n, SCRYPT_R, SCRYPT_P)
        salt, prefix = os.urandom(16), os.urandom(7)
        derived = _derive(secret, kdf, log2n, r, p, salt)
        self._aead, self._prefix = AESGCM(derived[:32]), prefix
        self._header = HEADER.pack(MAGIC, VERSION, kdf, log2n, r, p, salt, prefix, derived[32:])
        self._file, self._buffer, self._counter, self.closed = fileobj, bytearray(), 0, False
        fileobj.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep a chunk back: it may be the last
            self._seal(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        pass

    def _seal(self, plaintext: bytes, *, final: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, final)
        self._file.write(self._aead.encrypt(nonce, plaintext, self._header))
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
            self.closed = True


class SealedReader:
    """A file-like object reading the plaintext back; every chunk is authenticated before a
    byte of it is returned, and ``finish()`` makes sure the stream ended where it was sealed."""

    def __init__(self, fileobj, secret: Secret, *, name: str = "备份文件"):
        self._file, self._name = fileobj, name
        header = fileobj.read(HEADER.size)
        if len(header) < HEADER.size or not header.startswith(MAGIC):
            raise BackupError(f"{name} 不是春风的备份文件", code="not_a_backup")
        _magic, version, kdf, log2n, r, p, salt, prefix, check = HEADER.unpack(header)
        if version != VERSION or kdf not in (KDF_SCRYPT, KDF_KEY_FILE):
            raise BackupError(
                f"{name} 的格式（第 {version} 版）本程序不认识：请用更新版本的春风恢复",
                code="unknown_format",
            )
        if (kdf == KDF_KEY_FILE) != secret.is_key_file:
            raise BackupError(_wrong_kind(name, kdf), code="wrong_key")
        if kdf == KDF_SCRYPT and not (10 <= log2n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise BackupError(f"{name} 的文件头已损坏", code="damaged")
        derived = _derive(secret, kdf, log2n, r, p, salt)
        if derived[32:] != check:
            raise BackupError(
                f"{secret.source}不对：解不开{name}（或者文件头已损坏）", code="wrong_key"
            )
        self._aead, self._prefix, self._header = AESGCM(derived[:32]), prefix, header
        self._counter, self._plain, self._at, self._ended = 0, b"", 0, False
        self._ahead = fileobj.read(CHUNK + TAG)

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        sealed, self._ahead = self._ahead, self._file.read(CHUNK + TAG)
        final = not self._ahead
        if len(sealed) < TAG:
            raise BackupError(f"{self._name} 不完整（可能被截断），不能使用", code="truncated")
        nonce = _nonce(self._prefix, self._counter, final)
        try:
            self._plain, self._at = self._aead.decrypt(nonce, sealed, self._header), 0
        except InvalidTag:
            what = "不完整（可能被截断）" if final else "已损坏或被改动"
            raise BackupError(
                f"{self._name} {what}：第 {self._counter + 1} 块数据校验失败，不能使用",
                code="truncated" if final else "damaged",
            ) from None
        self._counter += 1
        self._ended = final

    def read(self, size: int = -1) -> bytes:
        parts, wanted = [], size if size is not None and size >= 0 else None
        while wanted is None or wanted > 0:
            left = len(self._plain) - self._at
            if not left:
                if self._ended:
                    break
                self._next_chunk()
                continue
            take = left if wanted is None else min(left, wanted)
            parts.append(self._plain[self._at : self._at + take])
            self._at += take
            if wanted is not None:
                wanted -= take
        return b"".join(parts)

    def finish(self) -> None:
        """Read (and so authenticate) whatever is left, up to the sealed end."""
        while self.read(CHUNK):
            pass


def _wrong_kind(name: str, kdf: int) -> str:
    if kdf == KDF_KEY_FILE:
        return f"{name} 是用密钥文件加密的：请用 --key-file 指定那个密钥文件"
    return f"{name} 是用口令加密的：请提供口令（不要用 --key-file）"
