"""Shared pieces for endpoints that take blank values: the raw value type and strict parsing."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, WithJsonSchema

from chunfeng.core.errors import ApplicationError
from chunfeng.formdefs.schema import FormDefinition
from chunfeng.formdefs.values import Value, parse_values

# Any JSON scalar; the blank's type decides what is acceptable, and a refusal names the blank.
RawValue = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string"},
                {"type": "boolean"},
                {"type": "null"},
            ],
            "description": "数字（人数、户数为整数；万元最多 4 位小数，元最多 2 位小数）、"
            "数字文本，或是/否（true/false、“是”/“否”）；null 或空文本表示未填",
        }
    ),
]


class StrictIn(BaseModel):
    """Request bodies: a plain pydantic model, so that a wrong shape or an unknown key is a 422
    (ninja's ``Schema`` reads attributes leniently, which suits answers, not requests)."""

    model_config = ConfigDict(extra="forbid")


class CheckFailureOut(Schema):
    check: str
    message: str
    fields: list[str]


def parse_or_refuse(definition: FormDefinition, raw: dict) -> dict[str, Value]:
    """Typed values, or ``ApplicationError("bad_values")`` listing every bad blank."""
    values, errors = parse_values(definition, raw)
    if errors:
        raise ApplicationError(
            f"有 {len(errors)} 处填写有误：" + "；".join(e.message for e in errors),
            code="bad_values",
            details=[e.as_dict() for e in errors],
        )
    return values
