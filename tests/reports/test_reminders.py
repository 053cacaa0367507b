"""Automatic 催报: in the days before the deadline, every recipient that has not filed every
form gets one reminder a day from the system, by e-mail once the transaction commits."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chunfeng.campaigns.models import Campaign, Reminder
from chunfeng.campaigns.services import reminder_send
from chunfeng.jobs.schedule import tick
from chunfeng.reports import reminders
from chunfeng.reports.reminders import deadline_reminders_send
from tests.fixtures import file_report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 9) -> dt.datetime:
    """January 2012 in 大连; the campaign's deadline is the 8th."""
    return dt.datetime(2012, 1, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def filed(fed):
    """中山区 filed both forms, 西岗区 only 附件1, the industry union nothing; the fillers
    and 西岗区's reviewer have e-mail addresses."""
    file_report(fed, fed.zs, "F1")
    file_report(fed, fed.zs, "F2")
    file_report(fed, fed.xg, "F1")
    for key in ("zs_filler", "xg_filler", "xg_reviewer", "ind_filler"):
        fed.users[key].email = f"{key}@example.cn"
        fed.users[key].save()
    return fed


def reminded() -> list[tuple[str, str]]:
    return sorted(
        (r.unit.code, timezone.localtime(r.created_at).date().isoformat())
        for r in Reminder.objects.select_related("unit")
    )


def test_units_that_have_not_filed_every_form_are_reminded_by_mail_on_commit(
    filed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(at(6)) == 2
        assert not mailoutbox  # not before the commit
    assert [code for code, _day in reminded()] == ["210203", "2102C01"]
    message = (
        "“2012年春风行动”的报送截止日期是 2012-01-08（还有 2 天截止），"
        "贵单位还有统计表未报送，请尽快填报。"
    )
    assert {(r.message, r.sent_by) for r in Reminder.objects.all()} == {(message, None)}
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == ["ind_filler@example.cn", "xg_filler@example.cn", "xg_reviewer@example.cn"]
    assert {m.body for m in mailoutbox} == {message}


def test_once_a_day(filed, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminders_send(at(6, 9))
    Reminder.objects.update(created_at=at(6, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(at(6, 17)) == 0
    assert len(mailoutbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(at(7, 9)) == 2
    assert len(mailoutbox) == 6
    assert len(reminded()) == 4


def test_a_reviewers_reminder_does_not_count_as_the_systems(filed):
    reminder_send(campaign=filed.campaign, actor=filed.user("city", "reviewer"), units=[filed.xg])
    assert deadline_reminders_send() == 0  # today is long after the deadline
    Campaign.objects.filter(pk=filed.campaign.pk).update(deadline=timezone.localdate())
    assert deadline_reminders_send(timezone.localtime().replace(hour=10)) == 2


@pytest.mark.parametrize(
    "when",
    [at(4), at(9), at(6, hour=7)],
    ids=["more than three days before", "after the deadline", "before office hours"],
)
def test_no_reminder_outside_the_last_days_and_office_hours(filed, when):
    assert deadline_reminders_send(when) == 0
    assert not Reminder.objects.exists()


def test_on_the_deadline_day_and_with_fewer_days_configured(filed, settings):
    assert deadline_reminders_send(at(8)) == 2
    assert "（今天截止）" in Reminder.objects.first().message
    Reminder.objects.all().delete()
    settings.CHUNFENG_REMIND_DAYS_BEFORE = 1
    assert deadline_reminders_send(at(6)) == 0
    assert deadline_reminders_send(at(7)) == 2


def test_when_everyone_has_filed_nobody_is_reminded(filed):
    file_report(filed, filed.xg, "F2")
    file_report(filed, filed.industry, "F1")
    file_report(filed, filed.industry, "F2")
    assert deadline_reminders_send(at(6)) == 0


def test_the_scheduler_sends_them(filed, monkeypatch):
    monkeypatch.setattr(reminders, "FROM_HOUR", 0)
    Campaign.objects.filter(pk=filed.campaign.pk).update(
        deadline=timezone.localdate() + dt.timedelta(days=1)
    )
    assert "reports.deadline_reminders" in tick().ran
    assert [code for code, _day in reminded()] == ["210203", "2102C01"]
