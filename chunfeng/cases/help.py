"""The help that follows from a case (第一帮扶人): file the worker's hardship application (建档
goes through the applications workflow; its approval opens the file) or link the file already
on the register, pay aid by real name through the existing payment batches, and (in the log)
legal aid. The case shows what was done and paid."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.applications.models import Application
from chunfeng.applications.services import application_create
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError
from chunfeng.core.personal import mask_id
from chunfeng.funds.models import BatchStatus, PaymentBatch, PaymentLine
from chunfeng.funds.services import batch_create, line_add
from chunfeng.register.models import Household, HouseholdStatus

from .intake import field_error
from .models import Case, CaseAid, EntryKind
from .services import entry_add, locked, moved_on, require_handler, require_open


def household_data_from(case: Case) -> dict:
    """What the case already says of the worker, to start the file with."""
    return {
        "name": case.caller_name,
        "id_number": case.caller_id_number,
        "phone": case.caller_phone,
        "employer": case.employer,
        "is_migrant": case.caller_is_migrant,
    }


def _link(case: Case, household: Household, actor, text: str) -> Case:
    case.household = household
    moved_on(case, ["household"])
    entry_add(case, EntryKind.HOUSEHOLD, text, actor)
    audit_record(actor=actor, action="case.household", target=case, household=household.pk)
    return case


def filed_household(case: Case) -> Household | None:
    """The worker's file: the one linked to the case, else the one its approved application
    opened (the applications app cannot know of cases, so the case reads it)."""
    if case.household_id:
        return case.household
    application = case.application
    return application.household if application is not None else None


@transaction.atomic
def case_application_submit(*, case: Case, data: dict, actor) -> Application:
    """代职工提交建档申请 from the case: an application to the case's union, linked to the case.
    The application's own checks apply (role, 一户一档, the fields)."""
    case = locked(case)
    require_handler(actor, case, _("为这件工单的职工提交建档申请"))
    require_open(case)
    if case.household_id or case.application_id:
        raise ApplicationError(_("这件工单已有建档申请或困难职工档案"), code="bad_status")
    application = application_create(unit=case.unit, data=data, actor=actor)
    case.application = application
    moved_on(case, ["application"])
    entry_add(
        case,
        EntryKind.HOUSEHOLD,
        f"提交建档申请（{application.name}，{mask_id(application.id_number)}，{case.unit.name}）",
        actor,
    )
    audit_record(actor=actor, action="case.application", target=case, application=application.pk)
    return application


@transaction.atomic
def case_household_link(*, case: Case, household: Household, actor) -> Case:
    """Link the worker's file already on the register (a household the actor may see)."""
    case = locked(case)
    require_handler(actor, case, _("为这件工单关联困难职工档案"))
    if household.status != HouseholdStatus.ACTIVE:
        raise field_error("household", f"{household.name}的档案已脱困，不在档")
    return _link(
        case, household, actor, f"关联困难职工档案（{household.name}，{household.unit.name}）"
    )


@transaction.atomic
def case_aid_pay(
    *,
    case: Case,
    campaign,
    amount,
    aid_type: str,
    paid_on,
    actor,
    batch: PaymentBatch | None = None,
) -> PaymentLine:
    """帮扶发放 by real name to the linked household, in ``batch`` (a draft of the case's union
    in ``campaign``) or in a new batch named after the case. The funds services check the
    rest: the role, the campaign, the amount, duplicates (不重复)."""
    case = locked(case)
    require_handler(actor, case, _("为这件工单发放帮扶款物"))
    require_open(case)
    household = filed_household(case)
    if household is None:
        raise field_error("household", "职工的建档申请获批或关联困难职工档案后，才能实名发放")
    if case.household_id is None:  # the approved application's file: the case keeps it
        _link(case, household, actor, f"建档申请已批准，档案：{household.name}")
    if batch is not None and (
        batch.unit_id != case.unit_id
        or batch.campaign_id != campaign.pk
        or batch.status != BatchStatus.DRAFT
    ):
        raise field_error("batch", "只能加入承办工会在该活动中待发放的批次")
    batch = batch or batch_create(
        unit=case.unit, campaign=campaign, name=f"12351帮扶 {case.number}", actor=actor
    )
    line = line_add(
        batch=batch,
        id_number=household.id_number,
        amount=amount,
        aid_type=aid_type,
        paid_on=paid_on,
        actor=actor,
    )
    CaseAid.objects.create(case=case, line=line)
    entry_add(
        case,
        EntryKind.PAYMENT,
        f"{line.get_aid_type_display()} {line.amount} 元（批次“{batch.name}”）",
        actor,
        line.paid_on,
    )
    audit_record(actor=actor, action="case.aid", target=case, line=line.pk, amount=str(line.amount))
    return line
