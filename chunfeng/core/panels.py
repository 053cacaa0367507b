"""Panels: how a higher app shows something on a lower app's page without the lower app
importing it.

A page names a slot (``"report.entry.records"``); an app above it contributes to that slot in
its ``AppConfig.ready()``::

    contribute("report.entry.records", records_panel)

where ``records_panel(request, **context)`` returns ``Panel(template, context)`` or None (nothing
to show). The page's view calls ``render_panels(slot, request, **context)`` and prints the HTML
it returns. Contributions are rendered in the order of their ``order`` (then registration).
A panel may also hand plain ``data`` to the page (e.g. marks to put beside some figures):
``collect(slot, request, **context)`` returns the HTML and the panels' data merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


Contribution = Callable[..., Panel | None]

_slots: dict[str, list[tuple[int, Contribution]]] = defaultdict(list)


def contribute(slot: str, panel: Contribution, *, order: int = 50) -> None:
    """Register ``panel`` for ``slot`` (idempotent: the same function is registered once)."""
    if all(existing is not panel for _o, existing in _slots[slot]):
        _slots[slot].append((order, panel))
        _slots[slot].sort(key=lambda pair: pair[0])


def panels(slot: str, request: HttpRequest, /, **context: Any) -> list[Panel]:
    found = (panel(request, **context) for _order, panel in _slots.get(slot, ()))
    return [p for p in found if p is not None]


def _render(found: list[Panel], request: HttpRequest, context: dict[str, Any]) -> SafeString:
    html = (render_to_string(p.template, {**context, **p.context}, request=request) for p in found)
    return mark_safe("".join(html))  # noqa: S308 - rendered by Django's escaping templates


def render_panels(slot: str, request: HttpRequest, /, **context: Any) -> SafeString:
    """The HTML of every panel contributed to ``slot``, in order (empty when none)."""
    return _render(panels(slot, request, **context), request, context)


def collect(
    slot: str, request: HttpRequest, /, **context: Any
) -> tuple[SafeString, dict[str, Any]]:
    """The panels' HTML and their ``data``, merged in order."""
    found = panels(slot, request, **context)
    data: dict[str, Any] = {}
    for panel in found:
        data.update(panel.data)
    return _render(found, request, context), data
