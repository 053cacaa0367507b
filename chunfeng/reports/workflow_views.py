"""Buttons on the report page: submit, approve, return, reopen, and the work report upload.
Each posts to a service and comes back to the report page; a refusal is flashed there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.uploads import DOCUMENT, upload_page
from chunfeng.core.web import back_on_error

from .selectors import report_slot_for
from .work_reports import require_work_report_uploader, work_report_upload
from .workflow import report_approve, report_reopen, report_return, report_submit

_DONE = {
    "submit": "已报送，等待上级审核。",
    "approve": "已审核通过，数据已锁定。",
    "return": "已退回填报单位。",
    "reopen": "已重新打开，填报单位可以修改。",
}


def entry_url(request, campaign_id: int, unit_code: str, form_code: str, **_kwargs) -> str:
    return reverse("report-entry", args=[campaign_id, unit_code, form_code])


def _transition(action: str, report, actor, reason: str) -> None:
    if action == "submit":
        report_submit(report=report, actor=actor)
    elif action == "approve":
        report_approve(report=report, actor=actor, comment=reason)
    elif action == "return":
        report_return(report=report, actor=actor, reason=reason)
    else:
        report_reopen(report=report, actor=actor, reason=reason)


@login_required
@require_POST
@back_on_error(entry_url)
def report_action(request, campaign_id: int, unit_code: str, form_code: str, action: str):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    if slot.report is None:
        raise Http404(_("这张报表还没有开始填写"))
    _transition(action, slot.report, request.user, request.POST.get("reason", ""))
    messages.success(request, _DONE[action])
    return redirect(entry_url(request, campaign_id, unit_code, form_code))


def may_upload(request, campaign_id: int, unit_code: str, form_code: str) -> None:
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    require_work_report_uploader(slot.unit, request.user)


@login_required
@require_POST
@upload_page(limit=DOCUMENT, permit=may_upload)
@back_on_error(entry_url)
def work_report_post(request, campaign_id: int, unit_code: str, form_code: str):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    upload = request.FILES.get("file")
    work_report_upload(campaign=slot.campaign, unit=slot.unit, upload=upload, actor=request.user)
    messages.success(request, _("工作报告“%(file)s”已上传。") % {"file": upload.name})
    return redirect(entry_url(request, campaign_id, unit_code, form_code))
