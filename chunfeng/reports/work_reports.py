"""The 工作报告 a reporting unit files beside its forms (doc/docx/pdf/wps)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import WORK_REPORT_TYPES, Campaign, WorkReport
from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_fill
from chunfeng.core.uploads import DOCUMENT
from chunfeng.orgunits.models import OrgUnit

from .models import EDITABLE_STATUSES, Report


def work_report_of(campaign: Campaign, unit: OrgUnit) -> WorkReport | None:
    return WorkReport.objects.filter(campaign=campaign, unit=unit).first()


def require_work_report_uploader(unit: OrgUnit, actor) -> None:
    """Who may upload the unit's work report: asked before the page receives the file."""
    if not can_fill(actor, unit):
        raise NotPermitted(_("只有%(unit)s的填报员可以上传本单位的工作报告") % {"unit": unit.name})


@transaction.atomic
def work_report_upload(*, campaign: Campaign, unit: OrgUnit, upload, actor) -> WorkReport:
    """Upload (or replace, while a report of the unit is still editable) the work report."""
    require_work_report_uploader(unit, actor)
    if upload is None:
        raise ApplicationError(_("请选择要上传的工作报告文件"), code="no_file")
    if not campaign.recipients.filter(pk=unit.pk).exists():
        raise ApplicationError(
            _("%(unit)s不是本活动的报送单位") % {"unit": unit.name}, code="not_recipient"
        )
    filed = Report.objects.filter(campaign_form__campaign=campaign, unit=unit)
    if filed.exists() and not filed.filter(status__in=EDITABLE_STATUSES).exists():
        raise ApplicationError(
            "本单位的报表都已报送或审核通过，工作报告不能再替换；"
            "如需修改，请上级审核员退回或重新打开报表",
            code="locked",
        )
    name = upload.name or ""
    if not name.lower().endswith(WORK_REPORT_TYPES):
        raise ApplicationError(
            _("工作报告“%(name)s”的格式不支持，请上传 %(items)s 文件")
            % {"name": name, "items": "、".join(WORK_REPORT_TYPES)},
            code="bad_file_type",
        )
    if upload.size > DOCUMENT:  # the page stops a larger upload while it streams in
        raise ApplicationError(_("工作报告超过 20 MB，请压缩后再上传"), code="file_too_large")
    existing = work_report_of(campaign, unit)
    if existing:
        existing.file.delete(save=False)
    report = existing or WorkReport(campaign=campaign, unit=unit)
    report.file, report.original_name, report.size = upload, name[:255], upload.size
    report.uploaded_by = user_or_none(actor)
    report.save()
    audit_record(actor=actor, action="workreport.upload", target=report, name=name)
    return report
