"""Run a form's checks over values without saving anything."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from chunfeng.core.errors import ApplicationError
from chunfeng.formdefs.checks import run_checks
from chunfeng.formdefs.models import FormVersion
from chunfeng.formdefs.selectors import definition_of, form_version_of

from .errors import error_responses
from .values import CheckFailureOut, RawValue, StrictIn, parse_or_refuse

router = Router(tags=["审核"])


class ValidateIn(StrictIn):
    form: str = Field(description="表单代码，如 F1")
    version: int | None = Field(None, description="表单版本；省略则用最新版本")
    values: dict[str, RawValue] = Field(description="填报项代码 → 值；未列出的项视为未填")


class ValidateOut(Schema):
    errors: list[CheckFailureOut]
    warnings: list[CheckFailureOut]


@router.post("/validate", response={200: ValidateOut, **error_responses(400, 422)}, summary="审核")
def validate(request: HttpRequest, payload: ValidateIn):
    """按表单的审核规则检查一组值（不保存）。值本身有误时返回 400，`details` 逐项列出；
    未填项按各规则的缺失值策略处理。"""
    definition = definition_of(_form_version(payload.form, payload.version))
    return run_checks(definition, parse_or_refuse(definition, payload.values)).as_dict()


def _form_version(code: str, version: int | None) -> FormVersion:
    found = form_version_of(code, version)
    if found is None:
        which = code if version is None else f"{code}（版本 {version}）"
        raise ApplicationError(
            f"没有表单 {which}",
            code="unknown_form",
            details=[{"field": "form", "message": f"没有表单 {which}"}],
        )
    return found
