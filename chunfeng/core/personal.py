"""Personal numbers — resident ID, bank card, phone — shown, logged and searched safely.

Contract (a), masking: every place that shows a personal number to someone whose role does not
need it in full — a page, an API answer, a history line, an export, an error message, a log
line — shows ``mask_*`` of it. The last four digits stay readable, so that a person can be told
apart from another without the number being disclosed.

Contract (b), search tokens: a personal number used to find a record never travels in clear
in a URL (URLs end up in access logs, browser histories and proxies). The page posts the number;
the server turns it into ``search_token(kind, number)``, a keyed hash (HMAC-SHA256 with a key
derived from the installation's secret), which may appear in a URL, and records that can be
searched by a number keep the token of it in an indexed column.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings

KINDS = ("id", "bank", "phone")
_TOKEN_PREFIX = {"id": "i", "bank": "b", "phone": "p"}
_TOKEN = re.compile(r"[ibp]_[0-9a-f]{32}")


def mask(number: str | None, *, keep: int = 4, head: int = 0) -> str:
    """``6222023400000016`` → ``************0016``: every digit hidden but the last ``keep``
    (and the first ``head``). A number too short to keep anything is hidden whole."""
    text = "" if number is None else str(number)
    if not text:
        return ""
    if len(text) <= keep + head + 2:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - keep - head) + text[len(text) - keep :]


def mask_id(number: str | None) -> str:
    """Resident ID: region's first four digits and the last four (``2102**********1234``), as
    payment notices print it."""
    return mask(number, keep=4, head=4)


def mask_bank(number: str | None) -> str:
    """Bank card: the issuer's first four digits and the last four."""
    return mask(number, keep=4, head=4)


def mask_phone(number: str | None) -> str:
    """``13904110001`` → ``139****0001``."""
    text = "" if number is None else str(number)
    return mask(text, keep=4, head=3) if len(text) >= 11 else mask(text, keep=4)


MASKS = {"id": mask_id, "bank": mask_bank, "phone": mask_phone}


def normalise(kind: str, number: str) -> str:
    """The canonical text a token is computed from: digits (and a final X of an ID)."""
    text = re.sub(r"[\s-]", "", str(number or "")).upper()
    return text


def _key() -> bytes:
    secret = getattr(settings, "CHUNFENG_SEARCH_KEY", "") or settings.SECRET_KEY
    return _derived(secret)


@lru_cache(maxsize=4)
def _derived(secret: str) -> bytes:
    """Derived once per secret: an import computes a token for each of 200,000 rows."""
    return hashlib.sha256(b"chunfeng-search-token:" + secret.encode()).digest()


@lru_cache(maxsize=4)
def _keyed(key: bytes) -> hmac.HMAC:
    """The HMAC with the key already absorbed; each token copies it (no key setup per row)."""
    return hmac.new(key, digestmod=hashlib.sha256)


def search_token(kind: str, number: str) -> str:
    """A keyed hash of a personal number, safe to put in a URL or a log line: ``i_…`` for an
    ID, ``b_…`` for a bank card, ``p_…`` for a phone. The same number gives the same token on
    every server of one installation (same secret), and nothing outside it can compute it."""
    return search_tokener(kind)(number)


def search_tokener(kind: str) -> Callable[[str], str]:
    """``search_token(kind, ·)`` with the key looked up once, for many numbers (an import
    computes one for each of 200,000 rows: the settings' lookup and the normalising regex
    were most of its cost). Numbers already canonical (letters and digits only) skip the
    regex, which would leave them as they are."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of personal number: {kind}")
    keyed, head, prefix = _keyed(_key()), f"{kind}:", f"{_TOKEN_PREFIX[kind]}_"

    def token(number: str) -> str:
        text = (
            number.upper() if type(number) is str and number.isalnum() else normalise(kind, number)
        )
        digest = keyed.copy()
        digest.update((head + text).encode())
        return prefix + digest.hexdigest()[:32]

    return token


def is_search_token(text: str) -> bool:
    return bool(_TOKEN.fullmatch(text or ""))
