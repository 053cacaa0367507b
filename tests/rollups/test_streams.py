"""The per-unit figures of a 汇总 streamed a block of units at a time (for the exports that write
every unit's row): the same figures as ``Summary.per_unit``, in the 汇总's order, and one query
per block whatever the number of units."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.campaigns.selectors import campaign_form
from chunfeng.reports.models import Report, ReportStatus
from chunfeng.rollups.selectors import summary_for
from chunfeng.rollups.streams import unit_values_streamed

from .test_scale import add_units


def summary_of(fed):
    return summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F2"))


def test_the_same_figures_in_the_same_order(fed):
    filled = add_units(fed, 30)
    summary = summary_of(fed)
    streamed = list(unit_values_streamed(summary, units_per_query=7))
    assert [u.code for u, _values in streamed] == [u.code for u in summary.included]
    assert {u.code: values for u, values in streamed} == {
        code: dict(summary.per_unit[code]) for code in summary.per_unit
    }
    assert dict(streamed)[summary.included[4]]["05A"] == filled[summary.included[4].code]["05A"]


def test_one_query_per_block_of_units(fed):
    add_units(fed, 30)
    summary = summary_of(fed)
    for size, blocks in ((7, 5), (1000, 1)):
        with CaptureQueriesContext(connection) as captured:
            list(unit_values_streamed(summary, units_per_query=size))
        assert len(captured) == blocks


def test_a_report_no_longer_approved_streams_empty(fed):
    add_units(fed, 3)
    summary = summary_of(fed)
    first = summary.included[0]
    Report.objects.filter(unit=first).update(status=ReportStatus.RETURNED)
    streamed = dict(unit_values_streamed(summary))
    assert streamed[first] == {} and all(streamed[u] for u in summary.included[1:])
