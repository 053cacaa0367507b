"""A print reads its totals first and its lines page by page: a line cancelled in between (by
another user, committed) must not make the rows disagree with the total printed under them."""

import pytest
from django.db import connection, connections

from chunfeng.funds import printing
from chunfeng.funds.printing import sign_sheet_pdf

from .helpers import batch, household, pay
from .test_printing import pdf_text

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection committing meanwhile"
)


@pytest.mark.django_db(transaction=True)
def test_the_rows_and_the_total_come_from_one_snapshot(fed, monkeypatch):
    filler = fed.user("zs", "filler")
    b = batch(fed, fed.zs, filler)
    lines = [pay(b, filler, household(fed.zs, 70 + i, f"签领人{i}"), "100.00") for i in range(3)]
    totals = printing.printed_totals

    def totals_then_someone_cancels(batch_):
        found = totals(batch_)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:  # autocommit: committed at once
                cursor.execute(
                    "UPDATE funds_paymentline SET cancelled = true WHERE id = %s", [lines[1].pk]
                )
        finally:
            other.close()
        return found

    monkeypatch.setattr(printing, "printed_totals", totals_then_someone_cancels)
    text = pdf_text(sign_sheet_pdf(batch=b, user=filler))
    assert "合计3人" in text.replace(" ", "") and "300.00" in text
    assert all(f"签领人{i}" in text for i in range(3))  # the line as it was when totalled
    lines[1].refresh_from_db()
    assert lines[1].cancelled  # and the change itself went through
