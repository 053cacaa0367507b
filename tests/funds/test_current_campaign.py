"""Funds pages opened without a campaign show the one with the user's current work (not simply
the newest, when that one is empty for them) and say which campaign they show."""

import datetime as dt

from django.urls import reverse

from chunfeng.campaigns.services import campaign_create
from chunfeng.funds.selectors import current_campaign

from .helpers import batch, squash, text


def _later(fed):
    return campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 1, 22),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs, fed.xg],
    )


def test_without_work_the_newest_is_shown(fed):
    later = _later(fed)
    assert current_campaign(fed.user("zs", "filler"), today=dt.date(2026, 1, 1)) == later


def test_a_batch_still_to_pay_wins_over_a_newer_empty_campaign(fed, login):
    zs = fed.user("zs", "filler")
    later = _later(fed)
    batch(fed, fed.zs_g1, zs)  # a draft batch in the older campaign
    assert current_campaign(zs, today=dt.date(2026, 1, 1)) == fed.campaign
    page = squash(text(login(zs).get(reverse("batch-list"))))
    assert f"当前显示：{fed.campaign.name}" in page and "未指定活动时" in page
    chosen = squash(text(login(zs).get(reverse("batch-list"), {"campaign": later.pk})))
    assert "当前显示：2013年春风行动" in chosen and "未指定活动时" not in chosen


def test_another_subtree_s_work_does_not_count(fed):
    later = _later(fed)
    batch(fed, fed.xg, fed.user("xg", "filler"))
    assert current_campaign(fed.user("zs", "filler"), today=dt.date(2026, 1, 1)) == later


def test_a_campaign_under_way_wins_over_older_records(fed):
    zs = fed.user("zs", "filler")
    later = _later(fed)
    b = batch(fed, fed.zs, zs)
    b.status = "confirmed"  # paid: recorded work, nothing still to do
    b.save()
    assert current_campaign(zs, today=dt.date(2026, 1, 1)) == fed.campaign
    assert current_campaign(zs, today=dt.date(2013, 1, 2)) == later
