"""The demo data a new user sees after `./dev run`."""

from decimal import Decimal

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
    # industrial unions have contacts like the districts (the overdue list shows them)
    for unit in OrgUnit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.INDUSTRY]):
        assert unit.contact_person and unit.contact_phone, unit.code
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
    # 本级 beside 合计: the city's own figures are in its total; the industrial union's workers
    # overlap the districts' and are not added to 01A; 中山区 collects from two street unions
    split = summary.split
    assert (
        split.own["05A"] > 0 and summary.values["05A"] == split.own["05A"] + split.children["05A"]
    )
    assert split.branches["industry"]["01A"] > 0 and split.rules["01A"] == "territory"
    assert summary.values["01A"] == split.own["01A"] + split.branches["territory"]["01A"]
    zs = summary_for(campaign, OrgUnit.objects.get(code="210202"), campaign_form(campaign, "F1"))
    assert len(zs.included) == 2 and zs.has_own and not zs.outcome.errors
    from chunfeng.funds.models import DuplicateFlag, PaymentLine
    from chunfeng.register.models import Household

    # eight on the register, and one opened from a 12351 case
    assert Household.objects.filter(unit__path__startswith="/210200/210202/").count() == 9
    # 9 in the batches, a 劳模 off the register and a 困难企业, 1 paid from a 12351 case
    assert PaymentLine.objects.count() == 12
    laomo = PaymentLine.objects.get(recipient="model")
    assert laomo.household is None and laomo.name == "刘劳模"
    assert PaymentLine.objects.get(recipient="enterprise").id_number == "91210202MA0Q4RTK1B"
    from chunfeng.funds.models import Visit

    assert Visit.objects.get(kind="person").recipient == "frontline"
    failed = PaymentLine.objects.get(result="failed")  # the bank's result of the grassroots batch
    assert failed.cancelled and failed.result_reason == "账户已销户"
    assert PaymentLine.objects.filter(result="paid").count() == 5
    flag = DuplicateFlag.objects.get()  # 王大山 paid by his street union and by the district
    assert flag.kind == "exact" and flag.line.name == "王大山"
    from chunfeng.funds.models import PaymentBatch

    approved = PaymentBatch.objects.get(approved_at__isnull=False)  # its bank file can be made
    assert approved.name == "春节慰问第一批" and approved.approved_by.username == "zs_reviewer"


def test_demo_cases_in_every_state(db, settings, tmp_path, monkeypatch):
    from django.utils import timezone

    from chunfeng.cases.models import Case
    from chunfeng.formdefs.loader import latest_builtin
    from chunfeng.reconcile.computing import compute_explained

    settings.MEDIA_ROOT = tmp_path
    # loaded in the small hours, when the scheduler itself waits for office hours: the demo's
    # overdue case is escalated all the same (CI once ran at 00:14 Beijing time and it was not)
    night = timezone.localtime().replace(hour=3, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: night)
    demo_load()
    zs = OrgUnit.objects.get(code="210202")
    cases = Case.objects.filter(unit__path__startswith=zs.path)
    assert cases.count() == 12
    assert {c.status for c in cases} == {"new", "handling", "closed"}
    assert cases.filter(escalated_at__isnull=False).exists()  # the one received 16 days ago
    assert cases.filter(reopened=1, status="handling").exists()
    assert cases.filter(household__isnull=False, aid__isnull=False).exists()
    assert cases.filter(extensions__status="pending").exists()
    campaign = Campaign.objects.get()
    f1 = compute_explained(latest_builtin("F1"), campaign, zs).values
    # 08A: 周 (12 workers), 冯, 何, 曹 received in the period; 08C: 周 (12) and 吴 (1) recovered
    assert f1["08A"] == 15 and f1["08C"] == 13
    f2 = compute_explained(latest_builtin("F2"), campaign, zs).values
    assert f2["10D"] == 1 and str(f2["10D.3"]) == "1.8000"


def test_serve_prepares_and_prints_credentials(db, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("serve", "--demo", "--no-serve")
    out = capsys.readouterr().out
    assert "city_admin" in out and data.DEMO_PASSWORD in out
    call_command("serve", "--demo", "--no-serve")  # a second start keeps the data
    assert OrgUnit.objects.filter(code="210200").count() == 1


def test_demo_applications_and_standards(db, settings, tmp_path):
    from chunfeng.applications.models import Application, Standard

    settings.MEDIA_ROOT = tmp_path
    demo_load()
    statuses = sorted(Application.objects.values_list("status", flat=True))
    # the approved one was filed from the 12351 case of 郑春梅
    assert statuses == [
        "approved",
        "checked",
        "notice",
        "returned",
        "reviewed",
        "submitted",
        "visited",
    ]
    assert all(a.unit.code == "210202001" for a in Application.objects.all())
    zs = Standard.objects.get(region_code="210202")
    assert (zs.year, zs.low_line, zs.c_margin) == (2011, 400, Decimal("1.50"))
    assert Standard.objects.filter(source__contains="示例").count() == Standard.objects.count()
    assert Standard.objects.count() == 11
