"""What the API answers for an application: its fields with the personal numbers masked, and
for one application its family, documents, objections and steps."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from chunfeng.applications.models import Application
from chunfeng.applications.models import Status as S
from chunfeng.core.personal import mask_bank, mask_id, mask_phone

from .common import PageMeta, money


class MemberOut(Schema):
    name: str
    id_number: str = Field(description="掩码")
    relation: str
    health: str
    school: str
    work: str


class StepOut(Schema):
    action: str
    status_after: str
    note: str
    details: dict
    by: str = Field(description="办理单位")
    at: dt.datetime


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    size: int
    uploaded_at: dt.datetime


class ObjectionOut(Schema):
    id: int
    received_on: dt.date
    text: str
    resolution: str
    upheld: bool
    resolved: bool


class ApplicationOut(Schema):
    id: int
    version: int = Field(description="与响应头 ETag 相同")
    unit: str = Field(description="受理的基层工会代码")
    status: str = Field(description="/".join(S.values))
    returned_from: str
    return_reason: str
    source: str
    name: str
    id_number: str = Field(description="掩码")
    phone: str = Field(description="掩码")
    region_code: str
    street: str
    address: str
    employer: str
    employer_uscc: str
    post: str
    family_size: int
    income_items: list[dict]
    per_capita: str = Field(description="家庭月人均收入（元）")
    main_cause: str
    other_causes: list[str]
    bank_name: str
    bank_account: str = Field(description="掩码")
    low_line: str | None = Field(description="适用的低保标准（元/人/月）；未设置时为 null")
    proposed: str = Field(description="按收入和致困原因建议的类别；无可支持的类别时为空")
    category: str
    explanation: str
    notice_from: dt.date | None
    notice_until: dt.date | None
    household: int | None = Field(description="审批后建立的困难职工档案")
    members: list[MemberOut]
    documents: list[DocumentOut]
    objections: list[ObjectionOut]
    steps: list[StepOut]


class ApplicationPageOut(PageMeta):
    items: list[ApplicationOut]


def answer(a: Application, *, full: bool = True) -> dict:
    """``full``: with the members, documents, objections and steps (one application)."""
    plain = (
        "id version status returned_from return_reason source name region_code street address "
        "employer employer_uscc post family_size income_items main_cause other_causes bank_name "
        "proposed category explanation notice_from notice_until"
    ).split()
    return {
        **{k: getattr(a, k) for k in plain},
        "unit": a.unit.code,
        "id_number": mask_id(a.id_number),
        "phone": mask_phone(a.phone) if a.phone else "",
        "bank_account": mask_bank(a.bank_account) if a.bank_account else "",
        "per_capita": money(a.per_capita),
        "low_line": money(a.standard.low_line) if a.standard_id and full else None,
        "household": a.household_id,
        "members": [
            {
                "name": m.name,
                "id_number": mask_id(m.id_number) if m.id_number else "",
                "relation": m.relation,
                "health": m.health,
                "school": m.school,
                "work": m.work,
            }
            for m in (a.members.all() if full else ())
        ],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "name": d.original_name,
                "size": d.size,
                "uploaded_at": d.uploaded_at,
            }
            for d in (a.documents.all() if full else ())
        ],  # fmt: skip
        "objections": [
            {
                "id": o.pk,
                "received_on": o.received_on,
                "text": o.text,
                "resolution": o.resolution,
                "upheld": o.upheld,
                "resolved": o.resolved_at is not None,
            }
            for o in (a.objections.all() if full else ())
        ],  # fmt: skip
        "steps": [
            {
                "action": s.action,
                "status_after": s.status_after,
                "note": s.note,
                "details": s.details,
                "by": s.actor_unit,
                "at": s.at,
            }
            for s in (a.steps.all() if full else ())
        ],  # fmt: skip
    }
