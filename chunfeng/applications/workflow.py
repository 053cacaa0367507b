"""The steps of an application, each with who may take it (the rulebook):

初审 (grassroots) → 入户调查 recorded with the signed application and the authorisation
uploaded, sent to the union above (grassroots) → 审核 by the help centre above → 家庭经济状况
核对 result (help centre) → 公示 for the standard's number of days (help centre) → approval
after the notice, no objection upheld or open (reviewers above) → the household file
(``filing``). Each step can return the application with a reason; the grassroots union amends
and resubmits it to the step that returned it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import (
    can_act_as_help_centre,
    can_approve_application,
    can_handle_application,
)
from chunfeng.core.versions import check_version

from .models import Application, DocumentKind, Objection, Status
from .services import field_error, step_record


@dataclass(frozen=True)
class Step:
    action: str
    label: str | Promise  # translated when shown
    at: str  # the status the step is taken from
    to: str
    may: Callable[[Any, Any], bool]


STEPS = {
    s.action: s
    for s in (
        Step(
            "check",
            gettext_lazy("初审通过"),
            Status.SUBMITTED,
            Status.CHECKED,
            can_handle_application,
        ),
        Step(
            "visit",
            gettext_lazy("入户调查，报上级审核"),
            Status.CHECKED,
            Status.VISITED,
            can_handle_application,
        ),
        Step(
            "review",
            gettext_lazy("审核通过"),
            Status.VISITED,
            Status.REVIEWED,
            can_act_as_help_centre,
        ),
        Step(
            "verify",
            gettext_lazy("经济状况核对"),
            Status.REVIEWED,
            Status.VERIFIED,
            can_act_as_help_centre,
        ),
        Step(
            "notice",
            gettext_lazy("开始公示"),
            Status.VERIFIED,
            Status.NOTICE,
            can_act_as_help_centre,
        ),
        Step(
            "approve",
            gettext_lazy("审批建档"),
            Status.NOTICE,
            Status.APPROVED,
            can_approve_application,
        ),
    )
}
BY_STATUS = {s.at: s for s in STEPS.values()}


def next_step(application: Application) -> Step | None:
    return BY_STATUS.get(application.status)


def may_take(user, application: Application, action: str) -> bool:
    """Whether ``user`` may take ``action`` now (pages use it to show buttons)."""
    if action == "return":
        step = next_step(application)
        return step is not None and step.may(user, application.unit)
    if action == "resubmit":
        ok = application.status == Status.RETURNED
        return ok and can_handle_application(user, application.unit)
    step = STEPS.get(action)
    return bool(step and application.status == step.at and step.may(user, application.unit))


def _locked(application: Application, action: str, actor, version) -> Application:
    application = (
        Application.objects.select_for_update().select_related("unit").get(pk=application.pk)
    )
    step = STEPS.get(action) or next_step(application)
    if step is None or (action in STEPS and application.status != step.at):
        raise ApplicationError(
            _("申请现为“%(status)s”，不能%(step)s")
            % {
                "status": application.get_status_display(),
                "step": STEPS[action].label if action in STEPS else _("退回"),
            },
            code="bad_status",
        )
    if not step.may(actor, application.unit):
        raise NotPermitted(
            _("您不能对这份申请%(step)s") % {"step": step.label if action in STEPS else _("退回")}
        )
    check_version(application, version)
    return application


def _move(application: Application, status: str, **extra) -> None:
    application.status = status
    for key, value in extra.items():
        setattr(application, key, value)
    application.version += 1
    application.save()


@transaction.atomic
def application_check(*, application, actor, note: str = "", version=None) -> Application:
    application = _locked(application, "check", actor, version)
    _move(application, Status.CHECKED)
    step_record(application, "check", actor, note)
    return application


@transaction.atomic
def application_visit(
    *, application, actor, visited_on: dt.date, visitors: str, findings: str, version=None
) -> Application:
    """入户调查: the record of the visit; the signed application and the authorisation for the
    economic-status check must be uploaded first."""
    application = _locked(application, "visit", actor, version)
    if not visitors.strip() or not findings.strip():
        raise field_error("findings", "请填写入户调查人员和调查情况")
    if visited_on > timezone.localdate():
        raise field_error("visited_on", "入户调查日期不能晚于今天")
    kinds = set(application.documents.values_list("kind", flat=True))
    missing = [str(k.label) for k in (DocumentKind.SIGNED, DocumentKind.CONSENT) if k not in kinds]
    if missing:
        raise field_error("documents", f"请先上传{'、'.join(missing)}")
    _move(application, Status.VISITED)
    step_record(
        application,
        "visit",
        actor,
        findings.strip(),
        visited_on=visited_on.isoformat(),
        visitors=visitors.strip()[:100],
    )
    return application


@transaction.atomic
def application_review(*, application, actor, note: str = "", version=None) -> Application:
    application = _locked(application, "review", actor, version)
    _move(application, Status.REVIEWED)
    step_record(application, "review", actor, note)
    return application


@transaction.atomic
def application_verify(
    *, application, actor, matched: bool, reference: str, note: str = "", version=None
) -> Application:
    """家庭经济状况核对: the civil-affairs office's result. Not matched: returned with it."""
    application = _locked(application, "verify", actor, version)
    if not reference.strip():
        raise field_error("reference", "请填写民政部门核对报告编号")
    if matched:
        _move(application, Status.VERIFIED)
        step_record(application, "verify", actor, note, matched=True, reference=reference[:64])
        return application
    reason = f"家庭经济状况核对不符（{reference.strip()[:64]}）：{note.strip()}"
    _move(application, Status.RETURNED, returned_from=Status.REVIEWED, return_reason=reason[:300])
    step_record(application, "verify", actor, reason, matched=False, reference=reference[:64])
    return application


@transaction.atomic
def application_notice(
    *, application, actor, start: dt.date | None = None, version=None
) -> Application:
    """公示 from ``start`` for the number of days the region's standard sets (7 without one)."""
    application = _locked(application, "notice", actor, version)
    start = start or timezone.localdate()
    if start > timezone.localdate() + dt.timedelta(days=31):
        raise field_error("start", "公示开始日期不能晚于一个月以后")
    days = application.standard.notice_days if application.standard else 7
    until = start + dt.timedelta(days=days - 1)
    _move(application, Status.NOTICE, notice_from=start, notice_until=until)
    step_record(application, "notice", actor, start=start.isoformat(), until=until.isoformat())
    return application


@transaction.atomic
def objection_add(*, application, actor, received_on: dt.date, text: str) -> Objection:
    if application.status != Status.NOTICE:
        raise ApplicationError(_("只在公示期间登记异议"), code="bad_status")
    unit = application.unit
    if not (can_handle_application(actor, unit) or can_act_as_help_centre(actor, unit)):
        raise NotPermitted(_("您不能为这份申请登记异议"))
    if not text.strip():
        raise field_error("text", "请填写异议内容")
    objection = Objection.objects.create(
        application=application, received_on=received_on, text=text.strip()[:500]
    )
    step_record(application, "objection", actor, text.strip(), received_on=str(received_on))
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, actor, upheld: bool, resolution: str) -> Objection:
    application = objection.application
    if not can_act_as_help_centre(actor, application.unit):
        raise NotPermitted(_("您不能核实这条异议"))
    if not resolution.strip():
        raise field_error("resolution", "请填写核实结果")
    objection.upheld, objection.resolution = upheld, resolution.strip()[:500]
    objection.resolved_at = timezone.now()
    objection.save()
    step_record(application, "objection_resolved", actor, resolution.strip(), upheld=upheld)
    return objection


@transaction.atomic
def application_return(*, application, actor, reason: str, version=None) -> Application:
    """Back to the grassroots union with a reason, from whichever step it waits at."""
    application = _locked(application, "return", actor, version)
    if not reason.strip():
        raise field_error("reason", "请填写退回原因")
    came_from = application.status
    _move(application, Status.RETURNED, returned_from=came_from, return_reason=reason.strip()[:300])
    step_record(application, "return", actor, reason.strip(), returned_from=came_from)
    return application


@transaction.atomic
def application_resubmit(*, application, actor, note: str = "", version=None) -> Application:
    """The grassroots union sends a returned application back to the step that returned it
    (after a failed economic-status check: to that check)."""
    application = (
        Application.objects.select_for_update().select_related("unit").get(pk=application.pk)
    )
    if not may_take(actor, application, "resubmit"):
        if application.status != Status.RETURNED:
            raise ApplicationError(_("只有退回的申请可以重新提交"), code="bad_status")
        raise NotPermitted(_("您不能重新提交这份申请"))
    check_version(application, version)
    back = application.returned_from or Status.SUBMITTED
    _move(application, back, returned_from="", return_reason="")
    step_record(application, "resubmit", actor, note)
    return application
