"""Turn a form definition plus current texts and check results into rows the paper-form
template can print: items, lines, inline blanks with their state, and messages per line."""

from __future__ import annotations

from dataclasses import dataclass, field

from chunfeng.formdefs.checks import Outcome
from chunfeng.formdefs.schema import Blank, FormDefinition
from chunfeng.formdefs.values import FieldError


@dataclass
class BlankView:
    blank: Blank
    text: str
    state: str = ""  # "", "error" or "warning"

    @property
    def dom_id(self) -> str:
        return "b-" + self.blank.code.replace(".", "-")


@dataclass
class LineView:
    key: str
    letter: str
    parts: list = field(default_factory=list)  # str or BlankView
    messages: list[tuple[str, str, str]] = field(default_factory=list)  # level, text, fields


@dataclass
class ItemView:
    label: str
    intro: str
    lines: list[LineView]


def paper_items(
    definition: FormDefinition,
    texts: dict[str, str],
    outcome: Outcome | None,
    field_errors: list[FieldError] = (),
) -> list[ItemView]:
    states = _blank_states(outcome, field_errors)
    line_of = {}
    items = []
    for item in definition.items:
        lines = []
        for line in item.lines:
            view = LineView(key=f"{item.number}-{line.letter or '0'}", letter=line.letter)
            for seg in line.segments:
                if seg.blank is None:
                    view.parts.append(seg.text)
                else:
                    blank = definition.blanks[seg.blank]
                    view.parts.append(
                        BlankView(blank, texts.get(seg.blank, ""), states.get(seg.blank, ""))
                    )
                    line_of[seg.blank] = view
            lines.append(view)
        items.append(ItemView(definition.item_label(item.number), item.intro, lines))
    _place_messages(line_of, outcome, field_errors)
    return items


def _blank_states(outcome: Outcome | None, field_errors) -> dict[str, str]:
    states: dict[str, str] = {}
    if outcome is not None:
        for w in outcome.warnings:
            states.update(dict.fromkeys(w.fields, "warning"))
        for e in outcome.errors:
            states.update(dict.fromkeys(e.fields, "error"))
    states.update({e.code: "error" for e in field_errors})
    return states


def _place_messages(line_of: dict, outcome: Outcome | None, field_errors) -> None:
    for e in field_errors:
        if e.code in line_of:
            line_of[e.code].messages.append(("error", e.message, e.code))
    if outcome is None:
        return
    order = list(line_of)
    for level, results in (("error", outcome.errors), ("warning", outcome.warnings)):
        for r in results:
            here = [code for code in r.fields if code in line_of]  # not another form's blanks
            if not here:
                continue
            first = min(here, key=order.index)
            line_of[first].messages.append((level, f"{r.check}：{r.message}", " ".join(here)))
