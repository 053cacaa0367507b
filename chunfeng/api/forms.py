"""Form definitions: the latest version of each form, in ``FormDefinition.to_json()`` shape."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from chunfeng.formdefs.selectors import definition_of, form_version_latest, form_versions_latest

from .errors import error_responses

router = Router(tags=["表单"])


class FormHeaderFieldOut(Schema):
    code: str
    label: str


class FormLineOut(Schema):
    letter: str
    text: str
    blanks: list[str]


class FormItemOut(Schema):
    number: str
    intro: str
    lines: list[FormLineOut]


class FormFieldOut(Schema):
    code: str
    label: str
    unit: str
    type: str


class FormCheckOut(Schema):
    id: str
    expr: str
    level: str
    message: str
    missing: str
    fields: list[str]


class FormDerivedOut(Schema):
    code: str
    records: str
    measure: str
    where: dict[str, str | bool | int]
    of: str = Field(description="sum 加总的量（空：记录集的第一个量）")
    period: str = Field(description="campaign 活动期间 / year 表单所报的日历年度")


class FormRollupOut(Schema):
    blanks: list[str]
    branches: str = Field(
        description="定义中的 from：合计所加的下级分支，both 属地和产业 / territory 只计属地 / "
        "industry 只计产业"
    )
    note: str


class FormOut(Schema):
    code: str
    version: int
    attachment: str
    title: str
    header: list[FormHeaderFieldOut]
    items: list[FormItemOut]
    fields: list[FormFieldOut]
    checks: list[FormCheckOut]
    notes: list[str]
    derived: list[FormDerivedOut]
    rollup: list[FormRollupOut] = Field(
        description="汇总规则：所列填报项的下级合计只加哪些分支（其余填报项两分支相加）"
    )


@router.get("", response=list[FormOut], summary="表单定义列表（每张表的最新版本）")
def form_list(request: HttpRequest):
    return [definition_of(fv).to_json() for fv in form_versions_latest()]


@router.get("/{code}", response={200: FormOut, **error_responses(404)}, summary="一张表单的定义")
def form_detail(request: HttpRequest, code: str):
    """最新版本的表单定义，与命令行 `chunfeng forms show CODE --json` 的输出相同。"""
    return definition_of(form_version_latest(code)).to_json()
