"""Automatic 催报. In the last ``CHUNFENG_REMIND_DAYS_BEFORE`` days before a campaign's deadline
(the deadline day included), each recipient unit that has not yet filed every form gets one
reminder a day from the system: on its home page and by e-mail. A periodic function of the
scheduler (registered in ``ReportsConfig.ready``), run hourly from office hours on."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from chunfeng.campaigns.models import Campaign, Reminder
from chunfeng.campaigns.services import reminder_send
from chunfeng.core.actors import SYSTEM
from chunfeng.orgunits.models import OrgUnit

from .completeness import completeness

EVERY = dt.timedelta(hours=1)
FROM_HOUR = 8  # local time: no 催报 mail in the small hours


def deadline_reminders_send(now: dt.datetime | None = None) -> int:
    """Remind the units due a reminder now; how many were reminded."""
    now = timezone.localtime(now)
    if now.hour < FROM_HOUR:
        return 0
    today = now.date()
    last = today + dt.timedelta(days=settings.CHUNFENG_REMIND_DAYS_BEFORE)
    reminded = 0
    campaigns = Campaign.objects.filter(deadline__gte=today, deadline__lte=last)
    for campaign in campaigns.select_related("owner").order_by("deadline", "pk"):
        units = units_to_remind(campaign, today)
        if units:
            message = _message(campaign, today)
            reminder_send(campaign=campaign, actor=SYSTEM, units=units, message=message)
            reminded += len(units)
    return reminded


def units_to_remind(campaign: Campaign, today: dt.date) -> list[OrgUnit]:
    """Recipients that have not filed every form, less those the system reminded today."""
    rows = completeness(campaign, campaign.owner, today)
    missing = {row.unit.pk: row.unit for row in rows if not row.filed}
    reminded = Reminder.objects.filter(
        campaign=campaign, sent_by=None, created_at__date=today, unit__in=list(missing)
    ).values_list("unit_id", flat=True)
    for pk in reminded:
        missing.pop(pk, None)
    return list(missing.values())


def _message(campaign: Campaign, today: dt.date) -> str:
    days = (campaign.deadline - today).days
    when = "今天截止" if days == 0 else f"还有 {days} 天截止"
    return (
        f"“{campaign.name}”的报送截止日期是 {campaign.deadline:%Y-%m-%d}（{when}），"
        "贵单位还有统计表未报送，请尽快填报。"
    )
