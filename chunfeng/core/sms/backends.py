"""The SMS backends. Each has ``send_messages(messages) -> int``.

``HttpBackend`` posts each message as JSON to ``CHUNFENG_SMS_GATEWAY_URL``::

    {"to": "13904110001", "sign": "<CHUNFENG_SMS_SIGN>", "template": "<template id>",
     "params": {"number": "12351-2012-000001", ...}}

with ``Authorization: Bearer <CHUNFENG_SMS_GATEWAY_TOKEN>`` (or HTTP basic authentication with
``CHUNFENG_SMS_GATEWAY_USER`` and ``CHUNFENG_SMS_GATEWAY_PASSWORD``). The template ids the
operator registered are ``CHUNFENG_SMS_TEMPLATES`` (e.g. ``case_received=SMS_1001,…``); a
message whose template has no id there is sent with Chunfeng's own template name. A 2xx answer
counts as sent."""

from __future__ import annotations

import base64
import json
import sys
import threading
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings

from ..personal import mask_phone


class BaseBackend:
    def send_messages(self, messages) -> int:
        raise NotImplementedError


def _written(message) -> str:
    return f"To: {message.to}\nTemplate: {message.template}\n\n{message.text}\n"


class ConsoleBackend(BaseBackend):
    """Prints each message (for development: ``./dev run`` shows them in its output)."""

    lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_messages(self, messages) -> int:
        with self.lock:
            for message in messages:
                self.stream.write(_written(message) + "-" * 40 + "\n")
            self.stream.flush()
        return len(messages)


class FileBackend(BaseBackend):
    """One text file per message in the folder ``CHUNFENG_SMS_FILE_PATH``."""

    def __init__(self, path: str | Path | None = None):
        folder = path or getattr(settings, "CHUNFENG_SMS_FILE_PATH", "")
        if not folder:
            folder = Path(settings.DATA_DIR) / "sms"
        self.folder = Path(folder)

    def send_messages(self, messages) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            name = f"{message.template}-{uuid.uuid4().hex[:12]}.txt"
            (self.folder / name).write_text(_written(message), encoding="utf-8")
        return len(messages)


class LocmemBackend(BaseBackend):
    """Keeps messages in ``chunfeng.core.sms.outbox``: nothing leaves the process."""

    def send_messages(self, messages) -> int:
        # the package's module holds the outbox; imported here, as it imports this module
        from . import outbox

        outbox.extend(messages)
        return len(messages)


class GatewayError(Exception):
    pass


class HttpBackend(BaseBackend):
    def __init__(self):
        self.url = getattr(settings, "CHUNFENG_SMS_GATEWAY_URL", "")
        if not self.url:
            raise GatewayError("CHUNFENG_SMS_GATEWAY_URL 未设置：短信网关的地址")
        self.timeout = float(getattr(settings, "CHUNFENG_SMS_GATEWAY_TIMEOUT", 10))
        self.sign = getattr(settings, "CHUNFENG_SMS_SIGN", "")
        self.templates = dict(getattr(settings, "CHUNFENG_SMS_TEMPLATES", {}) or {})

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        token = getattr(settings, "CHUNFENG_SMS_GATEWAY_TOKEN", "")
        user = getattr(settings, "CHUNFENG_SMS_GATEWAY_USER", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user:
            password = getattr(settings, "CHUNFENG_SMS_GATEWAY_PASSWORD", "")
            pair = base64.b64encode(f"{user}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        return headers

    def send_messages(self, messages) -> int:
        sent = 0
        for message in messages:
            body = {
                "to": message.to,
                "sign": self.sign,
                "template": self.templates.get(message.template, message.template),
                "params": message.params,
            }
            request = urllib.request.Request(
                self.url,
                data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                headers=self._headers(),
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                if not 200 <= answer.status < 300:
                    raise GatewayError(f"短信网关拒绝发往 {mask_phone(message.to)} 的短信")
            sent += 1
        return sent
