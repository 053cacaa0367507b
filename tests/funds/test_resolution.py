"""Reviewers above the line's unit (or of the campaign's owner) resolve each flag: distinct,
genuine (with a reason) or cancel (the line is cancelled). Batches with open flags cannot be
confirmed; a confirmed batch is locked."""

from decimal import Decimal

import pytest

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.funds.confirmation import signed_sheet_confirm, signed_sheet_upload
from chunfeng.funds.ledger import ledger_for
from chunfeng.funds.models import BatchStatus, FlagStatus
from chunfeng.funds.services import flag_resolve, line_cancel

from .helpers import PNG, batch, household, pay, text


@pytest.fixture
def grassroots_flag(fed):
    """zs pays a family of zs_g1; zs_g1 pays it again: the flag is on zs_g1's line."""
    h = household(fed.zs_g1, 1, "刘洋")
    zs_batch = batch(fed, fed.zs, fed.user("zs", "filler"))
    pay(zs_batch, fed.user("zs", "filler"), h, "500")
    g_batch = batch(fed, fed.zs_g1, fed.user("zsg", "filler"))
    line = pay(g_batch, fed.user("zsg", "filler"), h, "300")
    (flag,) = line.new_flags
    return flag


@pytest.fixture
def district_flag(fed):
    """zs_g1 pays first, then zs: the flag is on zs's own line."""
    h = household(fed.zs_g1, 2, "陈静")
    pay(batch(fed, fed.zs_g1, fed.user("zsg", "filler")), fed.user("zsg", "filler"), h)
    line = pay(batch(fed, fed.zs, fed.user("zs", "filler")), fed.user("zs", "filler"), h)
    (flag,) = line.new_flags
    return flag


def test_distinct(fed, grassroots_flag):
    flag = flag_resolve(flag=grassroots_flag, outcome="distinct", actor=fed.user("zs", "reviewer"))
    assert flag.status == FlagStatus.DISTINCT and flag.resolved_by == fed.user("zs", "reviewer")
    assert flag.resolved_at is not None and not flag.line.cancelled


def test_genuine_needs_a_reason(fed, grassroots_flag):
    reviewer = fed.user("zs", "reviewer")
    with pytest.raises(ApplicationError) as exc:
        flag_resolve(flag=grassroots_flag, outcome="genuine", reason="  ", actor=reviewer)
    assert "请填写理由" in exc.value.message
    flag = flag_resolve(
        flag=grassroots_flag, outcome="genuine", reason="另行医疗救助", actor=reviewer
    )
    assert flag.status == FlagStatus.GENUINE and flag.reason == "另行医疗救助"


def test_cancel_cancels_the_line(fed, grassroots_flag):
    before = ledger_for(fed.user("city", "viewer"), fed.campaign).root.total.paid
    flag = flag_resolve(
        flag=grassroots_flag, outcome="cancelled", actor=fed.user("city", "reviewer")
    )
    flag.line.refresh_from_db()
    assert flag.status == FlagStatus.CANCELLED and flag.line.cancelled
    after = ledger_for(fed.user("city", "viewer"), fed.campaign).root.total.paid
    assert before - after == Decimal("300.00")


def test_resolved_once(fed, grassroots_flag):
    flag_resolve(flag=grassroots_flag, outcome="distinct", actor=fed.user("zs", "reviewer"))
    with pytest.raises(ApplicationError, match="已经处理过"):
        flag_resolve(
            flag=grassroots_flag, outcome="genuine", reason="x", actor=fed.user("city", "reviewer")
        )


@pytest.mark.parametrize(
    "key", ["zsg_reviewer", "xg_reviewer", "zs_filler", "zs_admin", "city_admin", "zs_viewer"]
)
def test_only_reviewers_above(fed, grassroots_flag, key):
    unit, role = key.split("_")
    with pytest.raises(NotPermitted):
        flag_resolve(flag=grassroots_flag, outcome="distinct", actor=fed.user(unit, role))


def test_reviewer_of_the_same_unit_cannot_but_the_owner_can(fed, district_flag):
    with pytest.raises(NotPermitted):
        flag_resolve(flag=district_flag, outcome="distinct", actor=fed.user("zs", "reviewer"))
    flag = flag_resolve(flag=district_flag, outcome="distinct", actor=fed.user("city", "reviewer"))
    assert flag.status == FlagStatus.DISTINCT


def test_cancelling_a_line_closes_its_flags(fed, grassroots_flag):
    line_cancel(line=grassroots_flag.line, actor=fed.user("zsg", "filler"), reason="录重了")
    grassroots_flag.refresh_from_db()
    assert grassroots_flag.status == FlagStatus.CANCELLED and "录重了" in grassroots_flag.reason


def test_confirm_waits_for_open_flags_then_locks(fed, grassroots_flag):
    filler, reviewer = fed.user("zsg", "filler"), fed.user("zs", "reviewer")
    b = grassroots_flag.line.batch
    with pytest.raises(ApplicationError, match="尚未上传签字后的签领表"):
        signed_sheet_confirm(batch=b, actor=reviewer)
    signed_sheet_upload(batch=b, content=PNG, name="签领表.png", actor=filler)
    with pytest.raises(ApplicationError, match="1 条重复发放提示尚未处理"):
        signed_sheet_confirm(batch=b, actor=reviewer)
    flag_resolve(flag=grassroots_flag, outcome="genuine", reason="第二次为助学", actor=reviewer)
    with pytest.raises(NotPermitted, match="审核员"):
        signed_sheet_confirm(batch=b, actor=filler)  # no bare declaration by the payer
    b = signed_sheet_confirm(batch=b, note="全部签字", actor=reviewer)
    assert b.status == BatchStatus.CONFIRMED and b.confirm_note == "签领表已核对：全部签字"
    assert b.confirmed_by == reviewer and b.confirmed_on == "signed"
    other = household(fed.zs_g1, 9)
    with pytest.raises(ApplicationError, match="已确认发放并锁定"):
        pay(b, filler, other)
    with pytest.raises(ApplicationError, match="已确认发放并锁定"):
        line_cancel(line=grassroots_flag.line, actor=filler, reason="x")
    with pytest.raises(ApplicationError, match="已确认发放并锁定"):
        signed_sheet_confirm(batch=b, actor=reviewer)


def test_empty_batch_cannot_be_confirmed(fed):
    b = batch(fed, fed.zs, fed.user("zs", "filler"))
    with pytest.raises(ApplicationError, match="没有发放记录"):
        signed_sheet_upload(batch=b, content=PNG, name="x.png", actor=fed.user("zs", "filler"))


def test_reviewer_page_and_resolve_view(fed, grassroots_flag, login):
    url = f"/funds/duplicates/?campaign={fed.campaign.pk}"
    client = login(fed.user("zs", "reviewer"))
    page = text(client.get(url))
    assert (
        "刘洋" in page
        and "该户已由中山区总工会" in page
        and f"/funds/duplicates/{grassroots_flag.pk}/resolve/" in page
    )
    response = client.post(
        f"/funds/duplicates/{grassroots_flag.pk}/resolve/",
        {"outcome": "genuine", "reason": ""},
        follow=True,
    )
    assert "请填写理由" in text(response)
    client.post(
        f"/funds/duplicates/{grassroots_flag.pk}/resolve/",
        {"outcome": "genuine", "reason": "大病另行救助"},
    )
    grassroots_flag.refresh_from_db()
    assert grassroots_flag.status == FlagStatus.GENUINE
    assert "没有待处理的重复发放提示" in text(client.get(url))


def test_resolve_view_permissions(fed, grassroots_flag, login):
    url = f"/funds/duplicates/{grassroots_flag.pk}/resolve/"
    data = {"outcome": "distinct"}
    assert login(fed.user("xg", "reviewer")).post(url, data).status_code == 404
    assert login(fed.user("zs", "filler")).post(url, data).status_code == 403
    assert login(fed.user("zsg", "reviewer")).post(url, data).status_code == 403
    page = text(
        login(fed.user("zsg", "reviewer")).get(f"/funds/duplicates/?campaign={fed.campaign.pk}")
    )
    assert "由上级单位审核员处理" in page
