"""春节 computed with a lunar-calendar library, and the seed's period "至春节前" proposed."""

import datetime as dt

import pytest

from chunfeng.campaigns.festival import festival_after, period_end_proposed, spring_festival
from chunfeng.campaigns.forms import CampaignForm


@pytest.mark.parametrize(
    "year, day",
    [(2012, dt.date(2012, 1, 23)), (2026, dt.date(2026, 2, 17)), (2027, dt.date(2027, 2, 6))],
)
def test_spring_festival(year, day):
    assert spring_festival(year) == day


def test_the_festival_a_campaign_is_about():
    assert festival_after(dt.date(2011, 12, 20)) == dt.date(2012, 1, 23)
    assert festival_after(dt.date(2026, 2, 18)) == dt.date(2027, 2, 6)  # after this year's
    assert period_end_proposed(dt.date(2011, 12, 20)) == dt.date(2012, 1, 22)


def test_campaign_knows_its_festival(fed):
    assert fed.campaign.spring_festival == dt.date(2012, 1, 23)


def test_the_form_proposes_until_the_day_before(fed):
    form = CampaignForm(owner=fed.city, today=dt.date(2026, 12, 1))
    assert form.fields["period_start"].initial == dt.date(2026, 12, 1)
    assert form.fields["period_end"].initial == dt.date(2027, 2, 5)
    assert "2027-02-06" in str(form.fields["period_end"].help_text)
