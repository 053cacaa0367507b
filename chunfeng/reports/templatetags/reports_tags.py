from functools import lru_cache
from html import escape

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
    "report.finalise": _("结束活动，最终报表定稿"),
}
VIA_LABELS = {"blank": _("填写（逐空自动保存）"), "import": _("上传Excel模板")}
HEADER_LABELS = {
    "filler_name": _("填表人"),
    "filler_phone": _("联系电话"),
    "fill_date": _("填报日期"),
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


@lru_cache(maxsize=4096)
def _attributes(code: str, label: str, unit: str, kind: str) -> tuple[str, str]:
    """What a blank's control says of the blank alone (it never changes): (name, id, data-code,
    inputmode, title and aria-label), and the select's or input's opening, escaped."""
    dom_id = "b-" + code.replace(".", "-")
    if kind == "yesno":
        title = escape(f"{code} {label}")
        return "select", (
            f'name="v-{escape(code)}" id="{escape(dom_id)}" data-code="{escape(code)}" '
            f'title="{title}" aria-label="{title}"'
        )
    title = escape(f"{code} {label}（{unit}）")
    mode = "numeric" if kind == "count" else "decimal"
    return "input", (
        f'name="v-{escape(code)}" id="{escape(dom_id)}" value="{{value}}" data-code="{escape(code)}"'
        f' inputmode="{mode}" title="{title}" aria-label="{title}" autocomplete="off"'
    )


def _control(part, editable: bool) -> str:
    b = part.blank
    state = f" has-{escape(part.state)}" if part.state else ""
    tag, attrs = _attributes(b.code, str(b.label), str(b.unit), b.type)
    if tag == "select":
        yes = " selected" if part.text == "是" else ""
        no = " selected" if part.text == "否" else ""
        return (
            f'<select class="blank{state}" {attrs} {"" if editable else "disabled"}>'
            f'<option value=""></option><option value="是"{yes}>是</option>'
            f'<option value="否"{no}>否</option></select>'
        )
    attrs = attrs.replace("{value}", escape(part.text or ""), 1)
    return f'<input class="blank{state}" {attrs} {"" if editable else "readonly"}>'


@register.simple_tag
def paper_line(line, editable: bool) -> str:
    """One line of the paper form: its text and blanks, then its messages."""
    letter = f'<span class="letter">({escape(line.letter)})</span>' if line.letter else ""
    parts = "".join(
        _control(p, editable) if hasattr(p, "blank") else str(conditional_escape(p))
        for p in line.parts
    )
    head = f'<p class="line" id="line-{escape(line.key)}">{letter}{parts}</p>\n'
    return mark_safe(head + line_msgs(line))  # noqa: S308 - every piece is escaped above


@register.simple_tag
def paper_body(items, editable: bool) -> str:
    """Every item of the paper form with its lines: built here rather than by template loops,
    whose per-iteration cost was a good part of the entry page's time (77 blanks)."""
    out = []
    for item in items:
        intro = f'<p class="line">{conditional_escape(item.intro)}</p>' if item.intro else ""
        lines = "".join(paper_line(line, editable) for line in item.lines)
        out.append(
            f'<div class="item">\n<div class="num">{conditional_escape(item.label)}</div>\n'
            f"<div>{intro}\n{lines}</div>\n</div>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped here or in paper_line


@register.simple_tag
def line_msgs(line, oob: bool = False) -> str:
    spans = format_html_join(
        "",
        '<span class="msg {}" data-fields="{}">{}</span>',
        ((level, fields, text) for level, text, fields in line.messages),
    )
    swap = mark_safe(' hx-swap-oob="true"') if oob else ""
    return format_html('<div class="line-msgs" id="msgs-{}"{}>{}</div>', line.key, swap, spans)


@register.filter
def changes_text(details) -> str:
    """What a history event changed: ``code: old → new；…``, then the header fields by their
    names and the explanations by their check."""
    empty = _("（空）")
    details = details or {}
    parts = [
        f"{code}: {c[0] or empty} → {c[1] or empty}"
        for code, c in (details.get("changes") or {}).items()
    ]
    parts += [
        f"{HEADER_LABELS.get(name, name)}: {c[0] or empty} → {c[1] or empty}"
        for name, c in (details.get("header") or {}).items()
    ]
    parts += [
        f"{_('说明')} {check}: {c[0] or empty} → {c[1] or empty}"
        for check, c in (details.get("explanations") or {}).items()
    ]
    if not parts and details.get("via") == "import":
        parts.append(str(_("（上传的模板与已存数字相同，无变化）")))
    elif not parts and "changes" in details:  # a save that changed nothing says so
        parts.append(str(_("（无变化）")))
    return "；".join(parts)


@register.filter
def event_label(event) -> str:
    """The action of a history row: a save names how it was made (each blank as it was left,
    an uploaded template)."""
    via = (event.details or {}).get("via")
    if event.action == "report.save" and via in VIA_LABELS:
        return str(VIA_LABELS[via])
    return action_label(event.action)
