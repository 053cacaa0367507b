"""Creating and changing campaigns. Atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chunfeng.accounts.models import Role
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.formdefs.models import FormVersion
from chunfeng.orgunits.models import OrgUnit

from .models import Campaign, CampaignForm


def _check_dates(period_start: dt.date, period_end: dt.date, deadline: dt.date) -> None:
    if period_end < period_start:
        raise ApplicationError("活动结束日期不能早于开始日期", code="bad_dates")
    if deadline < period_start:
        raise ApplicationError("报送截止日期不能早于活动开始日期", code="bad_dates")


def _latest_versions(codes) -> dict[str, FormVersion]:
    found = {}
    for code in codes:
        fv = FormVersion.objects.filter(code=code).order_by("-version").first()
        if fv is None:
            raise ApplicationError(f"没有代码为 {code} 的表单", code="unknown_form")
        found[code] = fv
    return found


@transaction.atomic
def campaign_create(
    *, owner: OrgUnit, name: str, period_start: dt.date, period_end: dt.date,
    deadline: dt.date, forms: dict[str, dt.date | None], recipients: list[OrgUnit],
    actor=None, notice: str = "",
) -> Campaign:  # fmt: skip
    """``forms`` maps form codes to their reference date (None: the activity period)."""
    if actor is not None and not (actor.role == Role.ADMIN and owner.is_within(actor.unit)):
        raise NotPermitted("只有本单位或上级单位的管理员可以发起活动")
    if not name.strip():
        raise ApplicationError("活动名称不能为空", code="bad_name")
    _check_dates(period_start, period_end, deadline)
    if not forms:
        raise ApplicationError("活动至少要包含一张表单", code="no_forms")
    if not recipients:
        raise ApplicationError("活动至少要有一个报送单位", code="no_recipients")
    outside = [u.code for u in recipients if not u.is_within(owner) or u.pk == owner.pk]
    if outside:
        raise ApplicationError(
            f"报送单位必须是{owner.name}的下级单位：{'、'.join(outside)}", code="bad_recipients"
        )
    versions = _latest_versions(forms)
    campaign = Campaign.objects.create(
        name=name.strip(), notice=notice, owner=owner, period_start=period_start,
        period_end=period_end, deadline=deadline, created_by=actor,
    )  # fmt: skip
    CampaignForm.objects.bulk_create(
        CampaignForm(campaign=campaign, form_version=fv, code=code, reference_date=forms[code])
        for code, fv in versions.items()
    )
    campaign.recipients.set(recipients)
    audit_record(
        actor=actor, action="campaign.create", target=campaign, name=campaign.name,
        forms=sorted(forms), recipients=sorted(u.code for u in recipients),
    )  # fmt: skip
    return campaign
