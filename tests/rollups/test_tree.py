"""End to end, province → city → district → grassroots (+ an industrial union): each collecting
unit keeps its 本级, files 合计 = 本级 + 下级 exactly, the industrial union's workers (planted
overlapping the district's) are shown but not added to 01A, and the province closes the
campaign with a frozen final report whose 合计 is its 本级 plus the city's filed report."""

import datetime as dt
from decimal import Decimal

import pytest

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.funds.receipts import receipt_create
from chunfeng.reconcile.computing import compute
from chunfeng.reports.models import Report, ReportKind, ReportStatus
from chunfeng.reports.selectors import report_slot_for, report_values
from chunfeng.reports.workflow import report_submit
from chunfeng.rollups.selectors import contributors, summary_for
from chunfeng.rollups.services import campaign_close

from .tree import approve, build_tree, figures, fill, save, submit


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tree(db):
    return build_tree()


def values_of(report) -> dict:
    return report_values(report, report.form_version.definition)


def summary(tree, unit):
    return summary_for(tree.campaign, unit, tree.campaign.forms.get(), "approved")


def test_every_level_files_its_own_plus_the_levels_below(tree):
    g1, g2 = tree.grassroots
    # grassroots unions of the district file, the district approves
    for unit, vals in ((g1, figures(100, 10, "1.5000", 2)), (g2, figures(50, 5, "0.2500", 1))):
        approve(tree, submit(tree, save(tree, unit, vals)), tree.district)
    # the district keeps its 本级 and files 合计 = 本级 + its grassroots unions
    save(tree, tree.district, figures(7, 0, "3.0000", 4), own=True)
    district = fill(tree, tree.district)
    assert values_of(district)["01A"] == 157  # 7 + 100 + 50
    assert values_of(district)["01A.2"] == 15
    assert values_of(district)["05A"] == Decimal("4.7500")  # 3 + 1.5 + 0.25
    assert values_of(district)["04C"] == 7
    approve(tree, submit(tree, district), tree.city)
    # the industrial union: its grassroots union's 80 workers are also in the district's 01A
    ig = save(tree, tree.industry_grassroots, figures(80, 8, "2.0000", 3))
    approve(tree, submit(tree, ig), tree.industry)
    save(tree, tree.industry, figures(0, 0, "0.5000", 1), own=True)
    industry = fill(tree, tree.industry)
    assert values_of(industry)["01A"] == 80  # one branch only: added whole
    assert values_of(industry)["05A"] == Decimal("2.5000")
    approve(tree, submit(tree, industry), tree.city)

    # the city: 本级 beside the two branches; 01–03 from the 属地 branch only
    save(tree, tree.city, figures(0, 0, "10.0000", 5), own=True)
    city_sum = summary(tree, tree.city)
    split = city_sum.split
    assert split.branches["territory"]["01A"] == 157 and split.branches["industry"]["01A"] == 80
    assert split.rules["01A"] == "territory" and split.rules["05A"] == "both"
    assert split.children["01A"] == 157 and split.own["01A"] == 0
    assert city_sum.values["01A"] == 157  # not 237: the overlap is not counted twice
    assert city_sum.values["05A"] == Decimal("17.2500")  # 10 + 4.75 + 2.5: money from both
    assert city_sum.values["04C"] == 16
    for code, total in city_sum.values.items():  # 合计 = 本级 + 下级合计, every blank
        assert total == split.own.get(code, 0) + split.children.get(code, 0), code
    city = fill(tree, tree.city)
    assert values_of(city)["01A"] == 157 and values_of(city)["05A"] == Decimal("17.2500")
    approve(tree, submit(tree, city), tree.province)  # the city files its 合计 to the province

    # the province closes: its final report = its 本级 + the city's filed report
    save(tree, tree.province, figures(0, 0, "1.0000", 0), own=True)
    finals = campaign_close(campaign=tree.campaign, actor=tree.user(tree.province, "reviewer"))
    final = values_of(finals[0])
    assert finals[0].status == ReportStatus.APPROVED and finals[0].unit == tree.province
    assert final["01A"] == 157 and final["01A.2"] == 15
    assert final["05A"] == Decimal("18.2500") and final["04C"] == 16
    # frozen: neither the final report nor the province's 本级 can change any more
    filler = tree.user(tree.province, "filler")
    for own in (False, True):
        slot = report_slot_for(filler, tree.campaign.pk, tree.province.code, "F1", own=own)
        with pytest.raises(NotPermitted):
            save(tree, tree.province, figures(1, 0, "1.0000", 0), own=own)
        assert not slot.open
    with pytest.raises(ApplicationError):
        campaign_close(campaign=tree.campaign, actor=tree.user(tree.province, "admin"))


def test_the_province_may_not_close_while_a_report_is_not_approved(tree):
    save(tree, tree.city, figures(1, 0, "1.0000", 1))
    with pytest.raises(ApplicationError) as refused:
        campaign_close(campaign=tree.campaign, actor=tree.user(tree.province, "reviewer"))
    assert refused.value.code == "not_complete" and "大连市总工会" in refused.value.message
    assert not Report.objects.filter(unit=tree.province).exists()


def test_the_own_filing_is_frozen_with_the_filed_report(tree):
    save(tree, tree.district, figures(1, 0, "1.0000", 1), own=True)
    report = save(tree, tree.district, figures(1, 0, "1.0000", 1))
    submit(tree, report)
    with pytest.raises(NotPermitted) as refused:
        save(tree, tree.district, figures(2, 0, "1.0000", 1), own=True)
    assert "合计报表" in refused.value.message
    assert Report.all_kinds.filter(unit=tree.district, kind=ReportKind.OWN).count() == 1


def test_a_unit_without_reporting_units_below_has_no_own_filing(tree):
    from django.http import Http404  # only this test needs it

    filler = tree.user(tree.grassroots[0], "filler")
    with pytest.raises(Http404):
        report_slot_for(filler, tree.campaign.pk, tree.grassroots[0].code, "F1", own=True)


def test_the_final_report_is_not_submitted_upward(tree):
    report = save(tree, tree.province, figures(0, 0, "1.0000", 0))
    with pytest.raises(ApplicationError) as refused:
        report_submit(report=report, actor=tree.user(tree.province, "filler"))
    assert refused.value.code == "final_report"


def test_records_compare_like_with_like(tree):
    """本级 figures against the unit's own records, 合计 against its whole subtree's."""
    day = dt.date(2012, 1, 5)
    for unit, amount in ((tree.city, "30000"), (tree.district, "5000")):
        receipt_create(
            unit=unit,
            campaign=tree.campaign,
            source="union",
            amount=amount,
            received_on=day,
            actor=SYSTEM,
        )
    definition = tree.campaign.forms.get().form_version.definition
    assert compute(definition, tree.campaign, tree.city, own=True)["05A"] == Decimal("3.0000")
    assert compute(definition, tree.campaign, tree.city)["05A"] == Decimal("3.5000")
    assert compute(definition, tree.campaign, tree.district, own=True)["05A"] == Decimal("0.5000")


@pytest.mark.parametrize(
    ("not_recipients", "below_province", "below_city"),
    [
        ((), ["210200"], ["210202", "2102C01"]),
        # the grassroots unions' grandparent (the city) is not one, their parent is
        (("210200",), ["210202", "2102C01"], ["210202", "2102C01"]),
        (("210200", "210202"), ["210202001", "210202002", "2102C01"], None),
        (("210200", "2102C01"), ["210202", "2102C01001"], None),
        (("210202",), ["210200"], ["210202001", "210202002", "2102C01"]),
    ],
)
def test_contributors_are_the_topmost_recipients_at_any_depth(
    tree, not_recipients, below_province, below_city
):
    """Found by the database a level at a time (a recipient under a recipient below the unit,
    its parent or its grandparent, is not topmost), in path order."""
    units = [tree.city, tree.district, tree.industry]
    tree.campaign.recipients.remove(*[u for u in units if u.code in not_recipients])
    assert [u.code for u in contributors(tree.campaign, tree.province)] == below_province
    if below_city is not None:
        assert [u.code for u in contributors(tree.campaign, tree.city)] == below_city
