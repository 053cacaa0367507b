"""Text messages (短信), sent through a pluggable backend in the manner of Django's e-mail
backends: ``CHUNFENG_SMS_BACKEND`` names one — ``console`` (the default: printed on standard
output), ``file`` (one file per message in ``CHUNFENG_SMS_FILE_PATH``), ``locmem`` (kept in
``chunfeng.core.sms.outbox``, for tests), ``http`` (an SMS gateway, see ``backends``) — or the
dotted path of a class of one's own.

A message is a template and its parameters, as Chinese SMS gateways take them (the text of a
template is registered with the operator beforehand, under an id); ``text`` is the same message
written out, for the backends that keep or print it. Callers send after their transaction
commits (``send_on_commit``), so a rolled-back change sends nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

BACKENDS = {
    "console": "chunfeng.core.sms.backends.ConsoleBackend",
    "file": "chunfeng.core.sms.backends.FileBackend",
    "locmem": "chunfeng.core.sms.backends.LocmemBackend",
    "http": "chunfeng.core.sms.backends.HttpBackend",
}

outbox: list[Message] = []  # the locmem backend's messages (tests empty it)


@dataclass(frozen=True)
class Message:
    to: str  # a mobile number
    template: str  # what the message says, e.g. "case_received"
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""  # the message written out in full


def backend_path() -> str:
    name = getattr(settings, "CHUNFENG_SMS_BACKEND", "") or "console"
    return BACKENDS.get(name, name)


def get_backend():
    return import_string(backend_path())()


def send(messages: list[Message]) -> int:
    """Send now; how many the backend took. A failing gateway is logged (with the number
    masked), never raised: the change that caused the message stays done."""
    messages = [m for m in messages if m.to]
    if not messages:
        return 0
    try:
        return get_backend().send_messages(messages)
    except Exception:
        log.exception("短信发送失败（%d 条）", len(messages))
        return 0


def send_on_commit(messages: list[Message]) -> None:
    transaction.on_commit(lambda: send(messages))
