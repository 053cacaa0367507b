"""Buttons on the report page: submit, approve, return, reopen, fill from children, and the
work report upload. Each posts to a service and comes back to the report page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from chunfeng.campaigns.services import work_report_upload
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.register.derived import report_take_derived
from chunfeng.rollups.services import report_fill_from_children

from .selectors import report_slot_for
from .workflow import report_approve, report_reopen, report_return, report_submit

_DONE = {
    "submit": "已报送，等待上级审核。",
    "approve": "已审核通过，数据已锁定。",
    "return": "已退回填报单位。",
    "reopen": "已重新打开，填报单位可以修改。",
}


def _run(request, action, slot):
    report = slot.report
    if report is None and action not in ("fill", "derive"):
        raise Http404("这张报表还没有开始填写")
    reason = request.POST.get("reason", "")
    if action == "submit":
        report_submit(report=report, actor=request.user)
    elif action == "approve":
        report_approve(report=report, actor=request.user, comment=reason)
    elif action == "return":
        report_return(report=report, actor=request.user, reason=reason)
    elif action == "reopen":
        report_reopen(report=report, actor=request.user, reason=reason)
    elif action == "derive":
        report_take_derived(slot=slot, actor=request.user)
        return "已按困难职工档案、走访和发放记录填入相关数字，请核对后保存或报送。"
    elif action == "fill":
        include = request.POST.get("include", "approved")
        _r, _o, summary = report_fill_from_children(slot=slot, actor=request.user,
                                                    include=include)  # fmt: skip
        return f"已按 {len(summary.included)} 个下级单位的报表汇总填入，请核对后保存或报送。"
    return _DONE[action]


@login_required
@require_POST
def report_action(request, campaign_id: int, unit_code: str, form_code: str, action: str):
    if action not in (*_DONE, "fill", "derive"):
        raise Http404(action)
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    try:
        messages.success(request, _run(request, action, slot))
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("report-entry", campaign_id, unit_code, form_code)


@login_required
@require_POST
def work_report_post(request, campaign_id: int, unit_code: str, form_code: str):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError("请选择要上传的工作报告文件", code="no_file")
        work_report_upload(campaign=slot.campaign, unit=slot.unit, upload=upload,
                           actor=request.user)  # fmt: skip
        messages.success(request, f"工作报告“{upload.name}”已上传。")
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("report-entry", campaign_id, unit_code, form_code)
