"""The in-memory shape of a form definition. Immutable once loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

BLANK_TYPES = ("count", "wan", "yuan", "yesno")
CHECK_LEVELS = ("error", "warning")
MISSING_STRATEGIES = ("skip_if_any", "skip_if_all", "never")
NUMBER_STYLES = ("plain", "paren")  # item numbers printed 01 or (01)
HEADER_CODES = ("unit", "date", "filler", "phone")  # the header fields the pages know
MEASURES = ("count", "distinct_households", "sum")
PERIODS = ("campaign", "year")  # the activity period, or the calendar year the form reports on
# Which branches of a roll-up a blank's 合计 adds: both, or only the 属地 (districts') or only
# the 产业 (industrial unions') branch when the unit has reporting units in both.
BRANCH_RULES = ("both", "territory", "industry")
BRANCH_RULE_LABELS = {
    "both": gettext_lazy("本级＋属地＋产业"),
    "territory": gettext_lazy("本级＋属地（产业与属地重叠，不相加）"),
    "industry": gettext_lazy("本级＋产业（属地与产业重叠，不相加）"),
}


@dataclass(frozen=True)
class Blank:
    code: str
    label: str
    unit: str
    type: str
    item: str
    letter: str


@dataclass(frozen=True)
class Segment:
    """A piece of a line as printed: literal text, or a blank (then ``text`` is empty)."""

    text: str = ""
    blank: str | None = None


@dataclass(frozen=True)
class Line:
    letter: str
    text: str
    segments: tuple[Segment, ...]
    blanks: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    number: str
    intro: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Check:
    id: str
    expr: str
    level: str
    message: str
    missing: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Derivation:
    """A blank that the real-name records also give: ``measure`` over the record set
    ``records``, filtered by the ``where`` (field, value) pairs, sorted by field. It says how a
    report is compared with the records, not what users fill in; chunfeng.reconcile owns the
    record sets, their fields and quantities. ``period`` is the campaign's activity period, or
    ``year``: the calendar year the form reports on."""

    code: str
    records: str
    measure: str
    where: tuple[tuple[str, object], ...] = ()
    of: str = ""  # what a sum adds up (empty: the record set's own first quantity)
    period: str = "campaign"


@dataclass(frozen=True)
class RollupRule:
    """How a roll-up adds a unit's two branches into a blank's 合计 (``rollup:``)."""

    blanks: tuple[str, ...]
    branches: str  # one of BRANCH_RULES
    note: str = ""


@dataclass(frozen=True)
class HeaderField:
    code: str
    label: str


@dataclass(frozen=True)
class FormDefinition:
    code: str
    version: int
    attachment: str
    title: str
    number_style: str
    header: tuple[HeaderField, ...]
    items: tuple[Item, ...]
    notes: tuple[str, ...]
    checks: tuple[Check, ...]
    derived: tuple[Derivation, ...] = ()
    blanks: dict[str, Blank] = field(default_factory=dict, compare=False)
    rollup: tuple[RollupRule, ...] = ()

    def branch_rule(self, code: str) -> RollupRule:
        """The rule that adds the branches into ``code``'s 合计: the declared one, else both."""
        for rule in self.rollup:
            if code in rule.blanks:
                return rule
        return RollupRule(blanks=(code,), branches="both")

    def item_label(self, number: str) -> str:
        return f"({number})" if self.number_style == "paren" else number

    @property
    def unit_label(self) -> str:
        """How the header names the unit (填报单位 unless the form says otherwise)."""
        return next((h.label for h in self.header if h.code == "unit"), "填报单位")

    def to_json(self) -> dict:
        """The public shape used by the CLI and the API (stable contract)."""
        return {
            "code": self.code,
            "version": self.version,
            "attachment": self.attachment,
            "title": self.title,
            "header": [{"code": h.code, "label": h.label} for h in self.header],
            "items": [
                {
                    "number": item.number,
                    "intro": item.intro,
                    "lines": [
                        {"letter": line.letter, "text": line.text, "blanks": list(line.blanks)}
                        for line in item.lines
                    ],
                }
                for item in self.items
            ],
            "fields": [
                {"code": b.code, "label": b.label, "unit": b.unit, "type": b.type}
                for b in self.blanks.values()
            ],
            "checks": [
                {
                    "id": c.id,
                    "expr": c.expr,
                    "level": c.level,
                    "message": c.message,
                    "missing": c.missing,
                    "fields": list(c.fields),
                }
                for c in self.checks
            ],
            "notes": list(self.notes),
            "derived": [
                {
                    "code": d.code,
                    "records": d.records,
                    "measure": d.measure,
                    "where": dict(d.where),
                    "of": d.of,
                    "period": d.period,
                }
                for d in self.derived
            ],
            "rollup": [
                {"blanks": list(r.blanks), "branches": r.branches, "note": r.note}
                for r in self.rollup
            ],
        }
