"""Contract (d): what a filler learns when an entry meets another union's record.

A filler who types a person's ID number or phone may meet a record kept elsewhere in the
federation — a family already paid by another union, a person on another union's register,
another union's open case. Inside the filler's own subtree the filler may see it all; outside
it, the filler learns only that such a record exists elsewhere and that a reviewer will decide,
while the details go to the reviewers of the nearest unit above both (the nearest common
ancestor), who may see both sides.

``Encounter(actor_unit, holder_unit)`` decides which; ``for_filler(...)`` says what the filler is
told."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .models import OrgUnit


def common_path(a: OrgUnit, b: OrgUnit) -> str:
    """The path of the nearest unit above (or equal to) both: the longest shared code prefix."""
    shared = []
    for x, y in zip(a.path.strip("/").split("/"), b.path.strip("/").split("/"), strict=False):
        if x != y:
            break
        shared.append(x)
    return "/" + "".join(f"{code}/" for code in shared) if shared else ""


def nearest_common_ancestor(a: OrgUnit, b: OrgUnit) -> OrgUnit | None:
    """The lowest unit whose subtree holds both; None when they are in different trees."""
    path = common_path(a, b)
    if not path:
        return None
    if path == a.path:
        return a
    if path == b.path:
        return b
    return OrgUnit.objects.filter(path=path).first()


@dataclass(frozen=True)
class Encounter:
    actor_unit: OrgUnit  # the unit the filler works for
    holder_unit: OrgUnit  # the unit that keeps the record met

    @property
    def elsewhere(self) -> bool:
        """True when the record lies outside the filler's subtree."""
        return not self.holder_unit.is_within(self.actor_unit)

    @cached_property
    def reviewer_unit(self) -> OrgUnit | None:
        """Whose reviewers get the details: the nearest unit above both."""
        return nearest_common_ancestor(self.actor_unit, self.holder_unit)

    def for_filler(self, inside: str, outside: str) -> str:
        """``inside`` (the details) when the filler may see the record; else ``outside``, a
        sentence saying only that it exists elsewhere, followed by who will decide."""
        if not self.elsewhere:
            return inside
        reviewer = self.reviewer_unit
        who = f"{reviewer.name}的审核员" if reviewer is not None else "上级审核员"
        return f"{outside}将由{who}核实。"
