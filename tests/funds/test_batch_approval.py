"""A bank payroll file is released only from a batch a reviewer above the paying unit approved;
a change of the list afterwards withdraws the approval."""

from __future__ import annotations

import pytest

from chunfeng.core.errors import ApplicationError
from chunfeng.core.models import AuditEvent
from chunfeng.funds.approval import batch_approve
from chunfeng.funds.printing import bank_csv
from chunfeng.funds.services import line_cancel

from .helpers import batch, household, pay, text


@pytest.fixture
def unapproved(fed):
    filler = fed.user("zs", "filler")
    b = batch(fed, fed.zs, filler, "银行代发第一批")
    pay(b, filler, household(fed.zs, 1, "王建国", bank="6222020000000001"))
    pay(b, filler, household(fed.zs_g1, 2, "李秀英", bank="6222020000000002"))
    return b


def bank_url(b) -> str:
    return f"/funds/batches/{b.pk}/bank.csv"


def approve_url(b) -> str:
    return f"/funds/batches/{b.pk}/approve/"


def test_the_bank_file_waits_for_a_reviewers_approval(fed, login, unapproved):
    b = unapproved
    filler = login(fed.user("zs", "filler"))
    page = text(filler.get(f"/funds/batches/{b.pk}/"))
    assert bank_url(b) not in page and "须经上级单位审核员审批" in page
    refused = filler.get(bank_url(b), follow=True)
    assert "经上级单位审核员审批" in text(refused)
    with pytest.raises(ApplicationError) as err:
        bank_csv(batch=b, user=fed.user("zs", "filler"))
    assert err.value.code == "not_approved"

    reviewer = login(fed.user("city", "reviewer"))
    assert approve_url(b) in text(reviewer.get(f"/funds/batches/{b.pk}/"))
    assert reviewer.post(approve_url(b)).status_code == 302
    b.refresh_from_db()
    assert b.approved_by == fed.user("city", "reviewer") and b.approved_at is not None
    assert AuditEvent.objects.filter(action="batch.approve", target_id=str(b.pk)).exists()
    page = text(filler.get(f"/funds/batches/{b.pk}/"))
    assert bank_url(b) in page and "已审批" in page
    assert filler.get(bank_url(b)).status_code == 200


@pytest.mark.parametrize(
    "who, status",
    [
        (("zs", "reviewer"), 403),  # of the paying unit itself: not above it
        (("zs", "filler"), 403),
        (("zs", "admin"), 403),
        (("city", "viewer"), 403),
        (("xg", "reviewer"), 404),
    ],
)
def test_only_reviewers_above_the_unit_approve(fed, login, unapproved, who, status):
    assert login(fed.user(*who)).post(approve_url(unapproved)).status_code == status
    unapproved.refresh_from_db()
    assert unapproved.approved_at is None


def test_a_change_of_the_list_withdraws_the_approval(fed, unapproved):
    b = unapproved
    batch_approve(batch=b, actor=fed.user("city", "reviewer"))
    b.refresh_from_db()
    filler = fed.user("zs", "filler")
    line = pay(b, filler, household(fed.zs, 3, "赵新增", bank="6222020000000003"))
    b.refresh_from_db()
    assert b.approved_at is None
    assert AuditEvent.objects.filter(action="batch.unapprove", target_id=str(b.pk)).exists()
    batch_approve(batch=b, actor=fed.user("city", "reviewer"))
    line_cancel(line=line, actor=filler, reason="录错")
    b.refresh_from_db()
    assert b.approved_at is None
    with pytest.raises(ApplicationError, match="审批"):
        bank_csv(batch=b, user=filler)


def test_not_with_open_duplicate_flags_nor_twice(fed, unapproved):
    b = unapproved
    filler = fed.user("zs", "filler")
    pay(b, filler, b.lines.first().household)  # the same family again: flagged
    with pytest.raises(ApplicationError) as err:
        batch_approve(batch=b, actor=fed.user("city", "reviewer"))
    assert err.value.code == "open_flags"
    b.lines.order_by("-id").first().flags.update(status="distinct")
    batch_approve(batch=b, actor=fed.user("city", "reviewer"))
    with pytest.raises(ApplicationError) as err:
        batch_approve(batch=b, actor=fed.user("city", "reviewer"))
    assert err.value.code == "bad_status"


def test_through_the_api(fed, api, unapproved):
    url = f"/api/v1/payments/{unapproved.pk}/approve"
    assert api(fed.token("zs", "reviewer")).post(url).status_code == 403
    assert api(fed.token("xg", "reviewer")).post(url).status_code == 404
    response = api(fed.token("city", "reviewer")).post(url)
    assert response.status_code == 200
    got = response.json()
    assert got["approved_by"] == "city_reviewer" and got["approved_at"] is not None
    assert api(fed.token("city", "reviewer")).post(url).status_code == 409
