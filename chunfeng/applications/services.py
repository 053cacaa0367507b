"""Writes of an application: create (by the grassroots union for the worker, from the public
page, or from an imported list), amend a returned one, and its documents. The steps that follow
are in ``workflow``; the file it leads to in ``filing``."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_id
from chunfeng.core.rules import can_handle_application, can_set_standards
from chunfeng.core.versions import check_version
from chunfeng.register.onefile import refuse_second_file

from .models import (
    ApplicantMember,
    Application,
    Document,
    DocumentKind,
    Source,
    Standard,
    Status,
    StepRecord,
)
from .standards import cause_labels
from .validation import clean_application

OPEN = (
    Status.SUBMITTED,
    Status.CHECKED,
    Status.VISITED,
    Status.REVIEWED,
    Status.VERIFIED,
    Status.NOTICE,
    Status.RETURNED,
)
DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
DOCUMENT_LIMIT = 10 * 1024 * 1024  # per file; the route's body limit is the same (urls)


def field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid", details=[{"field": field, "message": message}])


def step_record(application: Application, action: str, actor, note: str = "", **details):
    unit = getattr(actor, "unit", None)
    StepRecord.objects.create(
        application=application,
        action=action,
        status_after=application.status,
        note=note[:300],
        details=details,
        actor=user_or_none(actor),
        actor_unit=getattr(unit, "name", "") if unit is not None else "系统",
    )
    audit_record(
        actor=actor,
        action=f"application.{action}",
        target=application,
        status=application.status,
        note=note[:300],
        **details,
    )


def refuse_duplicate(fields: dict, actor, application: Application | None = None) -> None:
    """一户一档 across applications: no one on a file, nor on another open application."""
    numbers = [fields["id_number"], *(m["id_number"] for m in fields["members"] if m["id_number"])]
    for number in numbers:
        refuse_second_file(number, actor)
    others = Application.objects.filter(status__in=OPEN).exclude(pk=getattr(application, "pk", 0))
    if (
        others.filter(id_number__in=numbers).exists()
        or others.filter(members__id_number__in=numbers).exists()
    ):
        raise field_error(
            "id_number",
            f"身份证号码 {mask_id(fields['id_number'])} 或其家庭成员已有在办的建档申请，"
            "一户一档，不能重复申请",
        )


@transaction.atomic
def application_create(
    *, unit, data: dict, actor, source: str = Source.STAFF, on=None
) -> Application:
    """An application filed for a worker of ``unit`` (the grassroots union that will check it)."""
    if source != Source.PUBLIC and not can_handle_application(actor, unit):
        raise NotPermitted(_("您不能为%(unit)s的职工提交建档申请") % {"unit": unit.name})
    if not unit.active:
        raise ApplicationError(
            _("%(unit)s已撤销，不能再受理申请") % {"unit": unit.name}, code="retired_unit"
        )
    fields = clean_application(data, cause_labels(), on=on or timezone.localdate())
    refuse_duplicate(fields, actor)
    members = fields.pop("members")
    application = Application.objects.create(
        unit=unit, source=source, created_by=user_or_none(actor), **fields
    )
    ApplicantMember.objects.bulk_create(
        ApplicantMember(application=application, **m) for m in members
    )
    step_record(application, "create", actor, id=mask_id(application.id_number), source=source)
    return application


@transaction.atomic
def application_amend(
    *, application: Application, data: dict, actor, version: int | None = None
) -> Application:
    """Change a returned application (then resubmit it: ``workflow.application_resubmit``)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not can_handle_application(actor, application.unit):
        raise NotPermitted(_("您不能修改这份申请"))
    if application.status != Status.RETURNED:
        raise ApplicationError(_("只有退回的申请可以修改"), code="bad_status")
    check_version(application, version)
    fields = clean_application(data, cause_labels(), on=timezone.localdate())
    refuse_duplicate(fields, actor, application)
    members = fields.pop("members")
    changed = sorted(k for k, v in fields.items() if getattr(application, k) != v)
    for key, value in fields.items():
        setattr(application, key, value)
    application.version += 1
    application.save()
    application.members.all().delete()
    ApplicantMember.objects.bulk_create(
        ApplicantMember(application=application, **m) for m in members
    )
    step_record(application, "amend", actor, fields=[k for k in changed if k != "id_token"])
    return application


@transaction.atomic
def document_add(*, application: Application, kind: str, upload, actor) -> Document:
    if not can_handle_application(actor, application.unit):
        raise NotPermitted(_("您不能为这份申请上传材料"))
    if application.status == Status.APPROVED:
        raise ApplicationError(_("已建档的申请不能再上传材料"), code="bad_status")
    if kind not in DocumentKind.values:
        raise field_error("kind", "请选择材料类别")
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in DOCUMENT_TYPES:
        raise field_error("file", f"材料只能是 {'、'.join(DOCUMENT_TYPES)} 文件（照片或扫描件）")
    if upload.size > DOCUMENT_LIMIT:
        raise field_error("file", "每份材料不能超过 10 MB")
    document = Document.objects.create(
        application=application,
        kind=kind,
        file=upload,
        original_name=name[:255],
        size=upload.size,
        uploaded_by=user_or_none(actor),
    )
    audit_record(
        actor=actor, action="application.document", target=application, kind=kind, name=name
    )
    return document


@transaction.atomic
def standard_create(*, unit, data: dict, actor):
    """A region's 低保标准 from a date on, set by the city or district union of that region."""
    if not can_set_standards(actor, unit):
        raise NotPermitted(_("您不能设置%(unit)s的低保标准") % {"unit": unit.name})
    region = data["region_code"]
    if not (region == unit.code or region.startswith(unit.code[:4]) and unit.code.endswith("00")):
        raise field_error("region_code", f"{unit.name}只能设置本地区的低保标准")
    if Standard.objects.filter(region_code=region, effective_from=data["effective_from"]).exists():
        raise field_error("effective_from", "该地区在这一执行日期已有低保标准")
    standard = Standard.objects.create(set_by=unit, **data)
    audit_record(
        actor=actor,
        action="standard.create",
        target=standard,
        region=region,
        year=standard.year,
        low_line=str(standard.low_line),
        c_margin=str(standard.c_margin),
        effective_from=str(standard.effective_from),
    )
    return standard
