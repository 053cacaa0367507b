"""动态管理: every file is reviewed yearly. A review repeats the income check against the
standard in force and confirms the category, changes it (a new ``FilePeriod``), or closes the
file (脱困, with the date and reason: the register's ``household_escape``, counted in 03E of
that year). The scheduler marks the files whose review date has passed (``overdue``), which
the register, the coverage list and the payments read."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_handle_application
from chunfeng.register.models import Category, Household, HouseholdStatus
from chunfeng.register.services import household_escape

from .filing import next_review
from .models import FilePeriod, FileReview, FileSource, FileState, Outcome
from .services import field_error
from .standards import check_choice, standard_for
from .validation import _amount

log = logging.getLogger(__name__)
EVERY = dt.timedelta(hours=6)
DUE_WITHIN = dt.timedelta(days=30)  # listed as due this long before the date


def state_of(household: Household) -> FileState:
    """The file's state; a file typed into the register before applications existed gets one
    now, its period from the day it was entered."""
    found = FileState.objects.filter(household=household).first()
    if found is not None:
        return found
    start = household.created_at.date() if household.created_at else timezone.localdate()
    FilePeriod.objects.create(household=household, category=household.category, start=start)
    return FileState.objects.create(
        household=household, source=FileSource.REGISTER, filed_on=start, review_due=None
    )


def _region(state: FileState, household: Household) -> str:
    if state.application is not None:
        return state.application.region_code
    return household.unit.code[:6]


@transaction.atomic
def file_review(
    *,
    household: Household,
    actor,
    on: dt.date,
    family_size: int,
    income: str,
    outcome: str,
    category: str = "",
    reason: str = "",
) -> FileReview:
    """年度复核 of ``household`` on ``on``."""
    household = Household.objects.select_for_update().select_related("unit").get(pk=household.pk)
    if not can_handle_application(actor, household.unit):
        raise NotPermitted(_("您不能复核这份档案"))
    if household.status != HouseholdStatus.ACTIVE:
        raise ApplicationError(_("这份档案已经脱困退出"), code="bad_status")
    if outcome not in Outcome.values:
        raise field_error("outcome", "请选择复核结果：维持类别、调整类别或脱困退出")
    if on > timezone.localdate():
        raise field_error("on", "复核日期不能晚于今天")
    if family_size < 1:
        raise field_error("family_size", "家庭人口至少 1 人")
    try:
        per_capita = _amount(income)
    except ValueError as exc:
        raise field_error("income", f"家庭月人均收入：{exc}") from None
    state = state_of(household)
    standard = standard_for(_region(state, household), on)
    before = household.category
    after = category or before if outcome == Outcome.CHANGE else before
    proposed = ""
    if outcome == Outcome.CLOSE:
        if not reason.strip():
            raise field_error("reason", "请填写脱困原因")
        household_escape(household=household, on=on, reason=reason, actor=actor)
        FilePeriod.objects.filter(household=household, end__isnull=True).update(end=on)
        state.review_due, state.overdue = None, False
    else:
        if after not in Category.values:
            raise field_error("category", "困难类别应为 B、C 或 D")
        if outcome == Outcome.CHANGE and after == before:
            raise field_error("category", "调整类别时请选择新的困难类别")
        proposed = check_choice(standard, per_capita, set(household.causes), after, reason)
        if after != before:
            FilePeriod.objects.filter(household=household, end__isnull=True).update(end=on)
            FilePeriod.objects.create(household=household, category=after, start=on)
        household.category, household.income, household.family_size = after, per_capita, family_size
        household.version += 1
        household.save(update_fields=["category", "income", "family_size", "version"])
        state.review_due, state.overdue = next_review(on), False
    state.save(update_fields=["review_due", "overdue"])
    review = FileReview.objects.create(
        household=household,
        reviewed_on=on,
        family_size=family_size,
        per_capita=per_capita,
        proposed=proposed,
        outcome=outcome,
        category_before=before,
        category_after="" if outcome == Outcome.CLOSE else after,
        reason=reason.strip()[:300],
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="household.review",
        target=household,
        on=on.isoformat(),
        outcome=outcome,
        category=[before, review.category_after],
        income=str(per_capita),
    )
    return review


def reviews_mark_overdue(today: dt.date | None = None) -> dict[str, int]:
    """The scheduler's pass: mark the files whose review date has passed, unmark the others."""
    today = today or timezone.localdate()
    active = FileState.objects.filter(household__status=HouseholdStatus.ACTIVE)
    marked = active.filter(review_due__lt=today, overdue=False).update(overdue=True)
    cleared = (
        FileState.objects.filter(overdue=True)
        .exclude(review_due__lt=today, household__status=HouseholdStatus.ACTIVE)
        .update(overdue=False)
    )
    if marked or cleared:
        log.info("file reviews: %s marked overdue, %s cleared", marked, cleared)
    return {"marked": marked, "cleared": cleared}
