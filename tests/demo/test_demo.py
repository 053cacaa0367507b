"""The demo data a new user sees after `./dev run`."""

from django.core.management import call_command

from chunfeng.accounts.models import User
from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.selectors import campaign_form
from chunfeng.demo import data
from chunfeng.demo.services import demo_load, demo_needed
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.reports.models import Report
from chunfeng.rollups.selectors import summary_for


def test_demo_federation_campaign_and_filings(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert demo_needed()
    demo_load()
    assert not demo_needed()
    counties = OrgUnit.objects.filter(kind=UnitKind.COUNTY)
    assert {u.code for u in counties} == {c for c, _ in data.COUNTIES} and counties.count() == 10
    assert OrgUnit.objects.filter(kind=UnitKind.INDUSTRY).count() >= 6
    assert OrgUnit.objects.get(code="210202").name == "中山区总工会"
    for username, unit, role, _name in data.USERS:
        user = User.objects.get(username=username)
        assert (user.unit.code, user.role) == (unit, role)
        assert user.check_password(data.DEMO_PASSWORD)
    campaign = Campaign.objects.get()
    assert str(campaign.deadline) == "2012-01-08" and str(campaign.period_start) == "2011-12-20"
    assert sorted(campaign.forms.values_list("code", flat=True)) == ["F1", "F2"]
    assert "春风行动" in campaign.notice
    statuses = dict(Report.objects.values_list("unit__code", "status"))
    assert statuses["210203"] == "submitted" and statuses["210204"] == "approved"
    summary = summary_for(
        campaign, OrgUnit.objects.get(code="210200"), campaign_form(campaign, "F1")
    )
    assert len(summary.included) == 4 and not summary.outcome.errors
    from chunfeng.funds.models import DuplicateFlag, PaymentLine
    from chunfeng.register.models import Household

    assert Household.objects.filter(unit__path__startswith="/210200/210202/").count() == 8
    assert PaymentLine.objects.count() == 9
    flag = DuplicateFlag.objects.get()  # 王大山 paid by his street union and by the district
    assert flag.kind == "exact" and flag.line.name == "王大山"
    from chunfeng.funds.models import PaymentBatch

    approved = PaymentBatch.objects.get(approved_at__isnull=False)  # its bank file can be made
    assert approved.name == "春节慰问第一批" and approved.approved_by.username == "zs_reviewer"


def test_serve_prepares_and_prints_credentials(db, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("serve", "--demo", "--no-serve")
    out = capsys.readouterr().out
    assert "city_admin" in out and data.DEMO_PASSWORD in out
    call_command("serve", "--demo", "--no-serve")  # a second start keeps the data
    assert OrgUnit.objects.filter(code="210200").count() == 1
