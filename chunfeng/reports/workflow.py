"""The review workflow: draft → submitted → approved, or submitted → returned → resubmitted;
an approved report can be reopened. Each transition is guarded, atomic and audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chunfeng.campaigns.selectors import reviewing_unit
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_fill, can_review_as

from .models import Report, ReportStatus
from .notify import notify_transition
from .selectors import report_checks, report_values
from .services import report_readiness
from .work_reports import work_report_of

S = ReportStatus


def can_review_report(user, report: Report) -> bool:
    """The reviewers of the report's reviewing unit (the nearest ancestor in the campaign)."""
    if getattr(user, "role", None) not in ("reviewer", "system"):
        return False  # spares the look-up of the reviewing unit for everyone else
    return can_review_as(user, reviewing_unit(report.campaign_form.campaign, report.unit))


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("campaign_form__campaign", "unit", "form_version")
        .get(pk=report.pk)
    )


def _move(report: Report, *, actor, to: str, action: str, **details) -> Report:
    old = report.status
    report.status = to
    report.save(
        update_fields=[
            "status",
            "submitted_at",
            "first_submitted_at",
            "approved_at",
            "return_reason",
        ]
    )
    audit_record(actor=actor, action=f"report.{action}", target=report, old=old, new=to, **details)
    transaction.on_commit(lambda: notify_transition(report, action, actor, details))
    return report


def _require(report: Report, allowed: tuple, verb: str) -> None:
    if report.status not in allowed:
        raise ApplicationError(
            f"报表当前状态为“{report.get_status_display()}”，不能{verb}", code="bad_status"
        )


_UNKNOWN = object()


def submission_problems(report: Report, *, readiness=None, work_report=_UNKNOWN) -> list[str]:
    """What stops the report being submitted. A page that has already computed the stored
    report's ``readiness`` or looked up the unit's ``work_report`` passes them in."""
    if readiness is None:
        definition = report.form_version.definition
        values = report_values(report, definition)
        outcome = report_checks(
            definition, values, campaign_id=report.campaign_form.campaign_id, unit=report.unit
        )
        readiness = report_readiness(definition, values, report.explanations, outcome)
    problems = []
    if readiness.empty:
        count = len(readiness.empty)
        problems.append(
            ngettext(
                "还有 %(count)s 个空未填（没有数据请填 0）：%(blanks)s",
                "还有 %(count)s 个空未填（没有数据请填 0）：%(blanks)s",
                count,
            )
            % {"count": count, "blanks": "、".join(readiness.empty[:10])}
        )
    if readiness.errors:
        problems.append(
            ngettext(
                "还有 %(count)s 处自动审核错误", "还有 %(count)s 处自动审核错误", readiness.errors
            )
            % {"count": readiness.errors}
        )
    if readiness.unexplained:
        problems.append(
            _("以下警告需要填写说明：%(checks)s") % {"checks": "、".join(readiness.unexplained)}
        )
    campaign = report.campaign_form.campaign
    if work_report is _UNKNOWN and campaign.requires_work_report:
        work_report = work_report_of(campaign, report.unit)
    if campaign.requires_work_report and work_report is None:
        problems.append(_("请先上传本单位的工作报告"))
    return problems


@transaction.atomic
def report_submit(*, report: Report, actor) -> Report:
    report = _locked(report)
    if not can_fill(actor, report.unit):
        raise NotPermitted(
            _("只有%(unit)s的填报员可以报送本单位的报表") % {"unit": report.unit.name}
        )
    _require(report, (S.DRAFT, S.RETURNED), "报送")
    if report.unit_id == report.campaign_form.campaign.owner_id:
        raise ApplicationError(
            _("活动发起单位的报表是最终报表，不向上报送：结束活动时定稿"), code="final_report"
        )
    problems = submission_problems(report)
    if problems:
        raise ApplicationError(
            _("不能报送：%(problems)s") % {"problems": "；".join(problems)},
            code="not_ready",
            details=[{"field": "report", "message": p} for p in problems],
        )
    now = timezone.now()
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.return_reason = ""
    return _move(report, actor=actor, to=S.SUBMITTED, action="submit")


def _reviewer_guard(report: Report, actor) -> None:
    if not can_review_report(actor, report):
        raise NotPermitted(
            _("只有负责审核%(unit)s的上级单位审核员可以执行此操作") % {"unit": report.unit.name}
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "请填写原因",
            code="reason_required",
            details=[{"field": "reason", "message": "请填写原因"}],
        )
    return reason


@transaction.atomic
def report_approve(*, report: Report, actor, comment: str = "") -> Report:
    report = _locked(report)
    _reviewer_guard(report, actor)
    _require(report, (S.SUBMITTED,), "审核通过")
    report.approved_at = timezone.now()
    return _move(report, actor=actor, to=S.APPROVED, action="approve", reason=comment.strip())


@transaction.atomic
def report_return(*, report: Report, actor, reason: str) -> Report:
    report = _locked(report)
    _reviewer_guard(report, actor)
    _require(report, (S.SUBMITTED,), "退回")
    report.return_reason = _reason(reason)
    return _move(report, actor=actor, to=S.RETURNED, action="return", reason=report.return_reason)


@transaction.atomic
def report_reopen(*, report: Report, actor, reason: str) -> Report:
    report = _locked(report)
    _reviewer_guard(report, actor)
    _require(report, (S.APPROVED,), "重新打开")
    report.return_reason = _reason(reason)
    report.approved_at = None
    return _move(report, actor=actor, to=S.RETURNED, action="reopen", reason=report.return_reason)
