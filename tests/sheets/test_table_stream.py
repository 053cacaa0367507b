"""The unit-by-blank table is written from a stream of the units' figures
(``rollups.per_unit.unit_rows``), the xlsx in write-only mode: every unit's row as the 汇总
holds it, in its order, the totals below, the header bold and frozen with the names; the
queries do not grow with the units."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.campaigns.selectors import campaign_form
from chunfeng.rollups.selectors import summary_for
from tests.rollups.test_scale import add_units


@pytest.fixture
def table(fed, login):
    add_units(fed, 10)
    client = login(fed.user("city", "viewer"))
    base = f"/campaigns/{fed.campaign.pk}/summary/210200/F2/table."
    summary = summary_for(fed.campaign, fed.city, campaign_form(fed.campaign, "F2"))
    return client, base, summary


def body(response) -> bytes:
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_xlsx_rows_in_the_summarys_order(table):
    client, base, summary = table
    sheet = openpyxl.load_workbook(io.BytesIO(body(client.get(base + "xlsx")))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1 : 1 + len(summary.included)]] == [u.code for u in summary.included]
    column = rows[0].index(next(h for h in rows[0] if str(h).startswith("05A ")))
    for unit, row in zip(summary.included, rows[1:], strict=False):
        assert row[column] == pytest.approx(float(summary.per_unit[unit.code]["05A"]))
    assert rows[-1][0] == "合计"
    assert sheet.freeze_panes == "C2" and sheet["A1"].font.b


def test_csv_rows_and_totals(table):
    client, base, summary = table
    rows = list(csv.reader(io.StringIO(body(client.get(base + "csv")).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1 : 1 + len(summary.included)]] == [u.code for u in summary.included]
    assert [r[0] for r in rows[1 + len(summary.included) :]][-2:] == ["下级合计", "合计"]


def test_queries_do_not_grow_with_the_units(table, fed):
    client, base, _summary = table

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(client.get(base + "csv"))
        return len(captured)

    queries()  # per-process caches first
    ten = queries()
    add_units(fed, 5, seed=9, start=10)
    assert queries() == ten
