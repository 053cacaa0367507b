"""Automatic 催报. In the last ``CHUNFENG_REMIND_DAYS_BEFORE`` days before a unit's deadline
(the deadline day included; the one it was given when the campaign was passed down to it, else
the campaign's), each recipient unit that has not yet filed every form gets one reminder a day
from the system: on its home page and by e-mail. A periodic function of the
scheduler (registered in ``ReportsConfig.ready``), run hourly from office hours on."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from chunfeng.campaigns.models import Campaign, Reminder
from chunfeng.campaigns.services import reminder_send
from chunfeng.core.actors import SYSTEM
from chunfeng.orgunits.models import OrgUnit

from .completeness import units_missing_forms

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
    # a pass-down's deadline is never later than the campaign's: campaigns past theirs are done
    campaigns = Campaign.objects.filter(deadline__gte=today)
    for campaign in campaigns.select_related("owner").order_by("deadline", "pk"):
        by_deadline: dict[dt.date, list[OrgUnit]] = {}
        for unit in units_to_remind(campaign, today, last):
            by_deadline.setdefault(unit.deadline, []).append(unit)
        for deadline, units in sorted(by_deadline.items()):
            message = _message(campaign, deadline, today)
            reminder_send(campaign=campaign, actor=SYSTEM, units=units, message=message)
            reminded += len(units)
    return reminded


def units_to_remind(campaign: Campaign, today: dt.date, last: dt.date) -> list[OrgUnit]:
    """Recipients whose deadline falls between today and ``last`` that have not filed every
    form, less those the system reminded today; each with its ``deadline``."""
    reminded_today = Reminder.objects.filter(
        campaign=campaign, sent_by=None, created_at__date=today
    ).values("unit_id")
    due = units_missing_forms(campaign, campaign.owner).filter(
        deadline__gte=today, deadline__lte=last
    )
    return list(due.exclude(pk__in=reminded_today))


def _message(campaign: Campaign, deadline: dt.date, today: dt.date) -> str:
    days = (deadline - today).days
    when = "今天截止" if days == 0 else f"还有 {days} 天截止"
    return (
        f"“{campaign.name}”的报送截止日期是 {deadline:%Y-%m-%d}（{when}），"
        "贵单位还有统计表未报送，请尽快填报。"
    )
