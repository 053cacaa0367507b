"""Creating and changing campaigns. Atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.accounts.models import User
from chunfeng.core.actors import SYSTEM, user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.rules import can_launch_campaign, can_remind, may_remind_at_all
from chunfeng.formdefs.models import FormVersion
from chunfeng.orgunits.models import OrgUnit

from .models import Campaign, CampaignForm, Reminder
from .passdown import deadlines_of


def _check_dates(period_start: dt.date, period_end: dt.date, deadline: dt.date) -> None:
    if period_end < period_start:
        raise ApplicationError(_("活动结束日期不能早于开始日期"), code="bad_dates")
    if deadline < period_start:
        raise ApplicationError(_("报送截止日期不能早于活动开始日期"), code="bad_dates")


def _latest_versions(codes) -> dict[str, FormVersion]:
    found = {
        code: FormVersion.objects.filter(code=code).order_by("-version").first() for code in codes
    }
    unknown = [code for code, fv in found.items() if fv is None]
    if unknown:
        raise ApplicationError(
            _("没有代码为 %(items)s 的表单") % {"items": "、".join(unknown)},
            code="unknown_form",
            details=[{"field": "forms", "message": f"{c}：没有这个表单"} for c in unknown],
        )
    return {code: fv for code, fv in found.items() if fv is not None}


@transaction.atomic
def campaign_create(
    *,
    owner: OrgUnit,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    forms: dict[str, dt.date | None],
    recipients: list[OrgUnit],
    actor=SYSTEM,
    notice: str = "",
    requires_work_report: bool = True,
    notice_file=None,
) -> Campaign:
    """``forms`` maps form codes to their reference date (None: the activity period)."""
    if not can_launch_campaign(actor, owner):
        raise NotPermitted(_("只有本单位或上级单位的管理员可以发起活动"))
    if not name.strip():
        raise ApplicationError(_("活动名称不能为空"), code="bad_name")
    _check_dates(period_start, period_end, deadline)
    if not forms:
        raise ApplicationError(_("活动至少要包含一张表单"), code="no_forms")
    if not recipients:
        raise ApplicationError(_("活动至少要有一个报送单位"), code="no_recipients")
    retired = [u.code for u in recipients if not u.active]
    if retired:
        raise ApplicationError(
            _("以下单位已撤销，不能作为报送单位：%(items)s") % {"items": "、".join(retired)},
            code="bad_recipients",
        )
    outside = [u.code for u in recipients if not u.is_within(owner) or u.pk == owner.pk]
    if outside:
        raise ApplicationError(
            _("报送单位必须是%(owner)s的下级单位：%(items)s")
            % {"owner": owner.name, "items": "、".join(outside)},
            code="bad_recipients",
        )
    versions = _latest_versions(forms)
    campaign = Campaign.objects.create(
        name=name.strip(),
        notice=notice,
        owner=owner,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        created_by=user_or_none(actor),
        requires_work_report=requires_work_report,
    )
    if notice_file:
        campaign.notice_file.save(notice_file.name, notice_file, save=True)
    CampaignForm.objects.bulk_create(
        CampaignForm(campaign=campaign, form_version=fv, code=code, reference_date=forms[code])
        for code, fv in versions.items()
    )
    campaign.recipients.set(recipients)
    audit_record(
        actor=actor,
        action="campaign.create",
        target=campaign,
        name=campaign.name,
        forms=sorted(forms),
        recipients=sorted(u.code for u in recipients),
    )
    return campaign


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def campaign_copy(*, campaign: Campaign, actor, name: str, years: int = 1) -> Campaign:
    """Next year's campaign: same forms (their latest versions) and the recipients still
    active, with every date moved on by ``years``."""
    forms = {
        f.code: _shift_year(f.reference_date, years) if f.reference_date else None
        for f in campaign.forms.all()
    }
    copy = campaign_create(
        owner=campaign.owner,
        name=name,
        notice=campaign.notice,
        actor=actor,
        period_start=_shift_year(campaign.period_start, years),
        period_end=_shift_year(campaign.period_end, years),
        deadline=_shift_year(campaign.deadline, years),
        forms=forms,
        recipients=list(campaign.recipients.filter(active=True)),
    )
    copy.copied_from = campaign
    copy.requires_work_report = campaign.requires_work_report
    copy.save(update_fields=["copied_from", "requires_work_report"])
    return copy


@transaction.atomic
def reminder_send(*, campaign: Campaign, actor, units: list[OrgUnit], message: str = ""):
    """催报 to each unit; they see it on their home page and by e-mail after commit. Without a
    message, each is told the deadline it was given (its pass-down's, else the campaign's)."""
    if not may_remind_at_all(actor):
        raise NotPermitted(_("只有审核员或管理员可以催报"))
    outside = [u.code for u in units if not can_remind(actor, u)]
    if outside:
        raise NotPermitted(
            _("不能向管辖范围以外的单位催报：%(units)s") % {"units": "、".join(outside)}
        )
    if not units:
        return []
    deadlines = deadlines_of(campaign, units)
    texts = {
        u.pk: message.strip()
        or f"请尽快报送“{campaign.name}”的统计表和工作报告（截止日期 {deadlines[u.pk]:%Y-%m-%d}）。"
        for u in units
    }
    reminders = Reminder.objects.bulk_create(
        Reminder(campaign=campaign, unit=u, message=texts[u.pk], sent_by=user_or_none(actor))
        for u in units
    )
    for r in reminders:
        audit_record(actor=actor, action="reminder.send", target=campaign, unit=r.unit.code)
    emails = (
        User.objects.filter(unit__in=units, is_active=True)
        .exclude(email="")
        .values_list("unit_id", "email")
    )
    subject = f"【春风】催报：{campaign.name}"
    messages = [(subject, texts[unit_id], None, [e]) for unit_id, e in emails]
    transaction.on_commit(lambda: send_mass_mail(messages))
    return reminders
