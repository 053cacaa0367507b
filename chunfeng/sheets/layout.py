"""Where each piece of a form goes in its xlsx sheet. One function computes the layout from
the form definition; the writer and the importer both use it, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from chunfeng.formdefs.schema import FormDefinition

MAP_SHEET = "_chunfeng"
MAGIC = "chunfeng-form-sheet"
HEADER_ROWS = {"filler_name": 4, "filler_phone": 5, "fill_date": 6}
COLUMNS = {"number": "A", "letter": "B", "text": "C", "value": "D", "unit": "E", "code": "F"}
FIRST_BODY_ROW = 8


@dataclass
class Layout:
    rows: list[tuple] = field(default_factory=list)  # (row, kind, payload)
    cells: dict[str, str] = field(default_factory=dict)  # blank code → value cell, e.g. "D14"
    notes_row: int = 0


def sentence(line) -> str:
    """The line as printed, each blank shown as a gap."""
    return "".join(seg.text if seg.blank is None else "____" for seg in line.segments)


def layout_for(definition: FormDefinition) -> Layout:
    layout = Layout()
    row = FIRST_BODY_ROW
    for item in definition.items:
        number = definition.item_label(item.number)
        if item.intro:
            layout.rows.append((row, "intro", (number, item.intro)))
            row, number = row + 1, ""
        for line in item.lines:
            letter = f"({line.letter})" if line.letter else ""
            layout.rows.append((row, "line", (number, letter, sentence(line))))
            row, number = row + 1, ""
            for code in line.blanks:
                layout.rows.append((row, "blank", definition.blanks[code]))
                layout.cells[code] = f"{COLUMNS['value']}{row}"
                row += 1
    layout.notes_row = row + 1
    return layout
