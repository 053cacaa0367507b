from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from chunfeng.reports.models import ReportStatus

register = template.Library()

ACTION_LABELS = {
    "report.save": _("保存草稿"),
    "report.submit": _("报送"),
    "report.approve": _("审核通过"),
    "report.return": _("退回"),
    "report.reopen": _("重新打开"),
    "report.fill_from_children": _("按下级汇总填入"),
    "report.take_derived": _("按档案和发放记录取数"),
}


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def status_label(status: str) -> str:
    try:
        return str(ReportStatus(status).label)
    except ValueError:
        return status


# The entry page prints 77 blanks and a history of up to 10 saves × 77 changes. Written as
# template loops, the template engine's cost per variable was most of the page's time; these
# build the same HTML in Python (escaped by format_html).

_SELECT = (
    '<select class="blank{}" name="v-{}" id="{}" data-code="{}" title="{} {}" aria-label="{} {}" {}>'
    '<option value=""></option><option value="是"{}>是</option><option value="否"{}>否</option>'
    "</select>"
)
_INPUT = (
    '<input class="blank{}" name="v-{}" id="{}" value="{}" data-code="{}" inputmode="{}" '
    'title="{} {}（{}）" aria-label="{} {}（{}）" autocomplete="off" {}>'
)


def _control(part, editable: bool) -> str:
    b, state = part.blank, f" has-{part.state}" if part.state else ""
    if b.type == "yesno":
        return format_html(
            _SELECT, state, b.code, part.dom_id, b.code, b.code, b.label, b.code, b.label,
            "" if editable else "disabled",
            " selected" if part.text == "是" else "", " selected" if part.text == "否" else "",
        )  # fmt: skip
    return format_html(
        _INPUT, state, b.code, part.dom_id, part.text, b.code,
        "numeric" if b.type == "count" else "decimal",
        b.code, b.label, b.unit, b.code, b.label, b.unit, "" if editable else "readonly",
    )  # fmt: skip


@register.simple_tag
def paper_line(line, editable: bool) -> str:
    """One line of the paper form: its text and blanks, then its messages."""
    letter = format_html('<span class="letter">({})</span>', line.letter) if line.letter else ""
    parts = mark_safe(  # noqa: S308 - every piece is escaped by format_html / conditional_escape
        "".join(
            _control(p, editable) if hasattr(p, "blank") else conditional_escape(p)
            for p in line.parts
        )
    )
    return format_html(
        '<p class="line" id="line-{}">{}{}</p>\n{}', line.key, letter, parts, line_msgs(line)
    )


@register.simple_tag
def line_msgs(line, oob: bool = False) -> str:
    spans = format_html_join("", '<span class="msg {}" data-fields="{}">{}</span>', line.messages)
    swap = mark_safe(' hx-swap-oob="true"') if oob else ""
    return format_html('<div class="line-msgs" id="msgs-{}"{}>{}</div>', line.key, swap, spans)


@register.filter
def changes_text(details) -> str:
    """The changed values of a history event: ``code: old → new；…``."""
    empty = _("（空）")
    changes = (details or {}).get("changes") or {}
    return "；".join(f"{code}: {c[0] or empty} → {c[1] or empty}" for code, c in changes.items())
