"""汇总 exactness: the roll-up equals an independent sum of random reports, 万元 keeps its four
decimals, yes/no counts the 是 answers, and the multi-level path never counts twice."""

import random
from decimal import Decimal

import pytest

from chunfeng.campaigns.selectors import campaign_form
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report, ReportStatus
from chunfeng.reports.selectors import report_slot_for
from chunfeng.reports.services import report_save
from chunfeng.reports.workflow import report_approve
from chunfeng.rollups.selectors import contributors, summary_for
from chunfeng.rollups.services import report_fill_from_children
from tests.fixtures import file_report


def random_values(definition, rng: random.Random) -> dict[str, str]:
    values = {}
    for code, blank in definition.blanks.items():
        if blank.type == "count":
            values[code] = str(rng.randint(0, 10**6))
        elif blank.type == "wan":
            values[code] = f"{rng.randint(0, 10**7)}.{rng.randint(0, 9999):04d}"
        elif blank.type == "yuan":
            values[code] = f"{rng.randint(0, 10**9)}.{rng.randint(0, 99):02d}"
        else:
            values[code] = rng.choice(["是", "否"])
    return values


def independent_total(definition, code, filled: list[dict]):
    blank = definition.blanks[code]
    if blank.type == "yesno":
        return sum(v[code] == "是" for v in filled)
    if blank.type == "count":
        return sum(int(v[code]) for v in filled)
    return sum((Decimal(v[code]) for v in filled), Decimal(0))


def put(fed, unit, form, values, status):
    filler = unit.users.get(role="filler")
    slot = report_slot_for(filler, fed.campaign.pk, unit.code, form)
    report, _ = report_save(slot=slot, actor=filler, values=values)
    Report.objects.filter(pk=report.pk).update(status=status)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("form", ["F1", "F2"])
def test_rollup_equals_independent_sum(fed, seed, form):
    rng = random.Random(seed)
    definition = latest_builtin(form)
    statuses = {
        fed.zs: ReportStatus.APPROVED,
        fed.xg: ReportStatus.APPROVED,
        fed.industry: ReportStatus.SUBMITTED,
    }
    filled = {}
    for unit, status in statuses.items():
        filled[unit.code] = random_values(definition, rng)
        put(fed, unit, form, filled[unit.code], status)
    cform = campaign_form(fed.campaign, form)
    approved = summary_for(fed.campaign, fed.city, cform, "approved")
    both = summary_for(fed.campaign, fed.city, cform, "submitted")
    assert sorted(u.code for u in approved.included) == ["210202", "210203"]
    assert len(both.included) == 3
    for code in definition.blanks:
        expect = independent_total(definition, code, [filled["210202"], filled["210203"]])
        assert approved.values[code] == expect, code
        # the industrial union's 01–03 of F1 overlap the districts' (rollup: territory)
        territory_only = definition.branch_rule(code).branches == "territory"
        counted = [filled["210202"], filled["210203"]] if territory_only else filled.values()
        assert both.values[code] == independent_total(definition, code, list(counted)), code
    money = [c for c, b in definition.blanks.items() if b.type == "wan"]
    assert all(approved.values[c].as_tuple().exponent == -4 for c in money)


def test_yes_no_rolls_up_as_count_of_yes(fed):
    definition = latest_builtin("F2")
    for unit, answer in ((fed.zs, "是"), (fed.xg, "是"), (fed.industry, "否")):
        put(fed, unit, "F2", {"05B": answer}, ReportStatus.APPROVED)
    summary = summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F2"))
    assert summary.values["05B"] == 2
    assert "05A" not in summary.values  # nobody filled it: empty, not 0
    assert definition.blanks["05B"].type == "yesno"


def test_empty_rollup_and_missing_units(fed):
    put(fed, fed.zs, "F1", {"01A": "10"}, ReportStatus.APPROVED)
    summary = summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F1"))
    assert summary.values == {"01A": 10}
    assert sorted(u.code for u in summary.missing) == ["210203", "2102C01"]


def test_multi_level_grassroots_district_city(fed):
    """Grassroots → district (roll-up in one action, adjusted, submitted) → city."""
    fed.campaign.recipients.add(fed.zs_g1)
    from chunfeng.orgunits.models import UnitKind
    from chunfeng.orgunits.services import orgunit_create

    g2 = orgunit_create(
        code="210202002", name="人民路街道总工会", kind=UnitKind.GRASSROOTS, parent=fed.zs
    )
    from chunfeng.accounts.services import user_create

    user_create(username="g2_filler", unit=g2, role="filler", password="test-pass-123")
    fed.campaign.recipients.add(g2)
    top = sorted(u.code for u in contributors(fed.campaign, fed.city))
    assert top == ["210202", "210203", "2102C01"]
    zs_reviewer = fed.user("zs", "reviewer")
    for unit, n in ((fed.zs_g1, 100), (g2, 50)):
        report = file_report(
            fed,
            unit,
            values={
                "01A": n,
                "01A.2": n // 2,
                "05A": "1.2345",
                "05E": "1.2345",
                "06A": "1.2345",
                "04C": 1,
            },
        )
        report_approve(report=report, actor=zs_reviewer)
    filler = fed.user("zs", "filler")
    slot = report_slot_for(filler, fed.campaign.pk, "210202", "F1")
    report, outcome, summary = report_fill_from_children(slot=slot, actor=filler)
    assert len(summary.included) == 2 and not outcome.errors
    from chunfeng.reports.selectors import report_values

    values = report_values(report, latest_builtin("F1"))
    assert values["01A"] == 150 and values["05A"] == Decimal("2.4690")
    report = file_report(
        fed,
        fed.zs,
        values={
            "01A": 160,
            "01A.2": 75,
            "05A": "2.4690",
            "05E": "2.4690",
            "06A": "2.4690",
            "04C": 2,
        },
    )
    # adjusted by the district, then submitted to the city
    report_approve(report=report, actor=fed.user("city", "reviewer"))
    city = summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F1"))
    assert city.values["01A"] == 160  # the district's figure, not 160 + 150
    district = summary_for(fed.campaign, fed.zs, campaign_form(fed.campaign, "F1"))
    assert district.values["01A"] == 150 and len(district.included) == 2


def test_checks_run_on_totals(fed):
    put(fed, fed.zs, "F1", {"01A": "10", "01A.2": "8"}, ReportStatus.APPROVED)
    put(fed, fed.xg, "F1", {"01A": "10", "01A.2": "15"}, ReportStatus.APPROVED)
    summary = summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F1"))
    assert "F1-01" in [e.check for e in summary.outcome.errors]  # 23 > 20


def test_contributors_are_the_topmost_recipients_in_one_pass(fed):
    """A district and its grassroots union both take part: only the district contributes; a
    code that merely starts like another (2102021 after 210202) is not taken for its child."""
    from chunfeng.core.actors import SYSTEM
    from chunfeng.orgunits.models import UnitKind
    from chunfeng.orgunits.services import orgunit_create

    lookalike = orgunit_create(
        code="2102021", name="相似代码区", kind=UnitKind.COUNTY, parent=fed.city, actor=SYSTEM
    )
    fed.campaign.recipients.add(fed.zs_g1, lookalike)
    found = [u.code for u in contributors(fed.campaign, fed.city)]
    assert found == ["210202", "2102021", "210203", "2102C01"]
    assert [u.code for u in contributors(fed.campaign, fed.zs)] == ["210202001"]
