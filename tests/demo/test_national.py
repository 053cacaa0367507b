"""The national-shaped generator makes a consistent federation: a tree whose paths and depths
agree with its parents, a report for every reporting unit, households with valid and distinct
ID numbers on grassroots unions, and lines that point at their household, unit and batch."""

from chunfeng.core.idnumbers import parse_id
from chunfeng.demo.national import Shape, id_number, national_build
from chunfeng.funds.models import PaymentLine
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.register.models import Household
from chunfeng.reports.models import Report, ReportStatus, ReportValue

SHAPE = Shape(cities=2, counties=3, grassroots=4, households=150)


def test_tree_reports_households_and_lines_agree(db):
    said = []
    built = national_build(shape=SHAPE, say=said.append)
    assert said and built.households == 150 and built.lines == 300
    units = list(OrgUnit.objects.filter(path__startswith=built.root.path).select_related("parent"))
    assert len(units) == 1 + SHAPE.reporting_units == 1 + 2 * (1 + 3 * (1 + 4))
    for unit in units:
        if unit.parent is None:
            assert unit.depth == 0 and unit.path == f"/{unit.code}/"
        else:
            assert unit.depth == unit.parent.depth + 1
            assert unit.path == f"{unit.parent.path}{unit.code}/"
    grassroots = {u.pk for u in units if u.depth == 3}
    assert all(u.kind == UnitKind.GRASSROOTS for u in units if u.depth == 3)
    assert len(grassroots) == 24 and set(built.grassroots_ids) == grassroots
    reports = Report.objects.filter(campaign_form__campaign=built.campaign)
    assert reports.count() == SHAPE.reporting_units
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.APPROVED}
    assert set(reports.values_list("unit_id", flat=True)) == {u.pk for u in units if u.depth}
    blanks = len(reports.first().form_version.definition.blanks)
    assert ReportValue.objects.filter(report__in=reports).count() == blanks * len(units[1:])
    assert set(built.campaign.recipients.values_list("pk", flat=True)) == {
        u.pk for u in units if u.depth
    }
    households = Household.objects.filter(unit__path__startswith=built.root.path)
    numbers = list(households.values_list("id_number", flat=True))
    assert len(set(numbers)) == 150 and all(parse_id(n).number == n for n in numbers)
    assert set(households.values_list("unit_id", flat=True)) <= grassroots
    # no chance duplicates for the scan: each (name, birth date) is one file's
    pairs = list(households.values_list("name", "birth_date"))
    assert len(set(pairs)) == len(pairs) == 150
    for camp in (built.campaign, built.previous):
        lines = PaymentLine.objects.filter(campaign=camp).select_related("household", "batch")
        assert lines.count() == 150
        for line in lines:
            assert line.id_number == line.household.id_number
            assert line.unit_id == line.household.unit_id == line.batch.unit_id
            assert line.batch.campaign_id == camp.pk
    # the sequence moved on: a household made the ordinary way gets a fresh id
    assert Household.objects.order_by("-pk").first().pk >= 150


def test_id_numbers_stay_distinct_past_one_region():
    span = 21_915_000
    picks = [0, 1, 999, 1000, span - 1, span, span + 1, 5_500_000, 2 * span + 3]
    numbers = [id_number(i) for i in picks]
    assert len(set(numbers)) == len(picks)
    assert all(parse_id(n).number == n for n in numbers)


def test_names_are_distinct_within_a_birth_date():
    from chunfeng.demo.national import _name

    picks = range(0, 5_000)
    assert len({(_name(i), id_number(i)[6:14]) for i in picks}) == len(picks)
