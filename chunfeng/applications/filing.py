"""Approval opens the household file (建档), and every file opened this way or by an import
gets its state: where it came from, its first period of category, its review date a year on.
The register's own write (``household_create``) is made as the system, on the approving
reviewer's decision recorded in the application's steps and the history."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.register.models import CAUSES, Household
from chunfeng.register.services import household_create

from .models import Application, FilePeriod, FileSource, FileState, Status
from .services import field_error, step_record
from .workflow import _locked, _move

REVIEW_EVERY_YEARS = 1


def next_review(on: dt.date) -> dt.date:
    try:
        return on.replace(year=on.year + REVIEW_EVERY_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year + REVIEW_EVERY_YEARS, day=28)


def file_state_open(
    *, household: Household, on: dt.date, source: str, application=None, note: str = ""
) -> FileState:
    """The file's state and its first period (from ``on``, in the household's category)."""
    FilePeriod.objects.create(household=household, category=household.category, start=on)
    return FileState.objects.create(
        household=household,
        source=source,
        source_note=note[:200],
        application=application,
        filed_on=on,
        review_due=next_review(on),
    )


def household_data(application: Application) -> dict:
    causes = [application.main_cause, *application.other_causes]
    return {
        "name": application.name,
        "id_number": application.id_number,
        "phone": application.phone,
        "employer": application.employer,
        "family_size": application.family_size,
        "income": str(application.per_capita),
        "category": application.category,
        "is_migrant": application.is_migrant,
        "is_model_worker": application.is_model_worker,
        "causes": list(dict.fromkeys(c if c in CAUSES else "other" for c in causes)),
        "bank_account": application.bank_account,
    }


@transaction.atomic
def application_approve(
    *, application, actor, on: dt.date | None = None, note: str = "", version=None
) -> Application:
    """审批建档 after the notice period, with no objection open or upheld."""
    application = _locked(application, "approve", actor, version)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise field_error("on", "审批日期不能晚于今天")
    if application.notice_until and on <= application.notice_until:
        raise field_error(
            "on", f"公示期至 {application.notice_until:%Y年%m月%d日}，公示期满后才能审批"
        )
    objections = list(application.objections.all())
    if any(o.resolved_at is None for o in objections):
        raise ApplicationError(_("公示期间有尚未核实的异议，请先核实"), code="open_objection")
    if any(o.upheld for o in objections):
        raise ApplicationError(_("公示异议成立，不能审批建档；请退回"), code="objection_upheld")
    members = [
        {"name": m.name, "id_number": m.id_number, "relation": m.relation}
        for m in application.members.all()
    ]
    household = household_create(
        unit=application.unit, data=household_data(application), actor=SYSTEM, members=members
    )
    file_state_open(
        household=household, on=on, source=FileSource.APPLICATION, application=application
    )
    _move(application, Status.APPROVED, household=household)
    step_record(application, "approve", actor, note, household=household.pk, on=on.isoformat())
    return application
