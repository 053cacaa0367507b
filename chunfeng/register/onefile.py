"""一户一档: each ID number on at most one active file, as the worker or as a family member —
the refusal of a second file and what it tells whom (contract (d))."""

from __future__ import annotations

from chunfeng.core.errors import ApplicationError
from chunfeng.core.personal import mask_id
from chunfeng.orgunits.encounters import Encounter

from .models import Person


def field_error(field: str, message: str):
    raise ApplicationError(message, code="invalid", details=[{"field": field, "message": message}])


def holder_of(id_number: str) -> Person | None:
    return (
        Person.objects.select_related("household__unit")
        .filter(id_number=id_number, active=True)
        .first()
    )


def second_file_message(id_number: str, unit, actor_unit=None) -> str:
    """一户一档: the refusal of a second file. It names the union that holds the first when
    that union lies in the subtree of ``actor_unit`` (the filler's unit; None for the system),
    else says only that the person has a file elsewhere and which reviewers will look into it."""
    number = mask_id(id_number)
    inside = f"身份证号码 {number} 已在{unit.name}（{unit.code}）建档，一户一档，不能重复建档"
    if actor_unit is None:
        return inside
    outside = f"身份证号码 {number} 已在其他单位建档，一户一档，不能重复建档；"
    return Encounter(actor_unit, unit).for_filler(inside, outside)


def refuse_second_file(id_number: str, actor, household=None) -> None:
    holder = holder_of(id_number)
    if holder is not None and holder.household_id != getattr(household, "pk", None):
        message = second_file_message(id_number, holder.household.unit, _unit_of(actor))
        field_error("id_number", message)


def _unit_of(actor):
    return actor.unit if getattr(actor, "unit_id", None) else None
