"""确认发放 on evidence: the bank's result file confirms the lines it paid and lists the failed
ones for re-payment; a signed sheet needs a reviewer above the paying union; unspent money
after the activity period is flagged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.funds.approval import batch_approve
from chunfeng.funds.confirmation import (
    bank_result_import,
    bank_template_csv,
    read_bank_rows,
    signed_sheet_confirm,
    signed_sheet_upload,
)
from chunfeng.funds.ledger import ledger_for
from chunfeng.funds.models import BatchStatus, LineResult, PaymentLine
from chunfeng.funds.retained import retained_for, retained_in

from .helpers import PNG, batch, household, pay, receive, text

ACCOUNTS = ("6222020000000000011", "6222020000000000022", "6222020000000000033")


@pytest.fixture
def approved(fed):
    """中山区's batch of three families with bank accounts, approved for payment by bank."""
    zs = fed.user("zs", "filler")
    b = batch(fed, fed.zs, zs)
    families = [household(fed.zs, 20 + i, f"职工{i}", bank=a) for i, a in enumerate(ACCOUNTS)]
    for h in families:
        pay(b, zs, h, "500.00")
    batch_approve(batch=b, actor=fed.user("city", "reviewer"))
    return b, families


def csv_file(*rows, header="账号或身份证号码,金额,结果,原因") -> bytes:
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def test_template_lists_our_columns():
    assert (
        bank_template_csv().decode("utf-8-sig").splitlines()[0] == "账号或身份证号码,金额,结果,原因"
    )


def test_bank_result_confirms_some_and_lists_the_failed(fed, approved):
    b, (a, f, c) = approved
    content = csv_file(
        f"{ACCOUNTS[0]},500.00,成功,",
        f"{f.id_number},500.00,失败,账户已销户",  # matched by the ID number
        "6222020000000009999,300.00,成功,",  # nobody of this batch
    )
    zs = fed.user("zs", "filler")
    result = bank_result_import(batch=b, rows=read_bank_rows(content, "结果.csv"), actor=zs)
    assert [line.household for line in result.paid] == [a]
    assert [line.household for line in result.failed] == [f]
    assert result.unmatched == ["第 4 行：6222***********9999 300.00 元，批次中没有对应的发放记录"]
    assert result.pending == 1 and not result.confirmed
    failed = PaymentLine.objects.get(household=f)
    assert failed.cancelled and failed.result == LineResult.FAILED
    assert failed.result_reason == "账户已销户"
    b.refresh_from_db()
    assert b.status == BatchStatus.DRAFT  # 职工2 still waits for the bank's word
    last = csv_file(f"{ACCOUNTS[2]},500.00,成功,")
    result = bank_result_import(batch=b, rows=read_bank_rows(last, "结果2.csv"), actor=zs)
    b.refresh_from_db()
    assert result.confirmed and b.status == BatchStatus.CONFIRMED and b.confirmed_on == "bank"
    assert b.lines.filter(cancelled=False).count() == 2


def test_bank_columns_are_mapped_and_bad_cells_named(fed, approved):
    b, _families = approved
    own = csv_file(f"{ACCOUNTS[0]},500,入账成功,", header="收款卡号,实发,交易结果,附言")
    with pytest.raises(ApplicationError, match="文件中的列为：收款卡号、实发、交易结果、附言"):
        read_bank_rows(own, "bank.csv")
    mapping = {"number": "收款卡号", "amount": "实发", "result": "交易结果"}
    rows = read_bank_rows(own, "bank.csv", mapping)
    assert rows == [(2, {"number": ACCOUNTS[0], "amount": "500", "result": "入账成功"})]
    bad = csv_file(f"{ACCOUNTS[0]},五百,成功,", f"{ACCOUNTS[1]},500,不知道,")
    with pytest.raises(ApplicationError) as refused:
        bank_result_import(
            batch=b, rows=read_bank_rows(bad, "x.csv"), actor=fed.user("zs", "filler")
        )
    assert [d["row"] for d in refused.value.details] == [2, 3]
    assert not PaymentLine.objects.exclude(result="").exists()  # nothing saved


def test_bank_result_needs_an_approved_batch_and_a_writer(fed):
    zs = fed.user("zs", "filler")
    b = batch(fed, fed.zs, zs)
    pay(b, zs, household(fed.zs, 30, bank=ACCOUNTS[0]))
    rows = read_bank_rows(csv_file(f"{ACCOUNTS[0]},500.00,成功,"), "x.csv")
    with pytest.raises(ApplicationError, match="尚未经审核员审批"):
        bank_result_import(batch=b, rows=rows, actor=zs)
    with pytest.raises(NotPermitted):
        bank_result_import(batch=b, rows=rows, actor=fed.user("zs", "viewer"))


def test_bank_result_through_the_page(fed, approved, login):
    b, families = approved
    client = login(fed.user("zs", "filler"))
    page = text(client.get(f"/funds/batches/{b.pk}/"))
    assert "导入银行结果" in page
    content = csv_file(
        *(f"{a},500.00,成功," for a in ACCOUNTS[:2]), f"{ACCOUNTS[2]},500.00,失败,户名不符"
    )
    upload = SimpleUploadedFile("结果.csv", content, content_type="text/csv")
    done = client.post(f"/funds/batches/{b.pk}/bank-result/", {"file": upload}, follow=True)
    page = text(done)
    assert "2 笔入账，1 笔失败" in page and "代发失败、待重新发放" in page and "户名不符" in page
    assert families[2].id_number not in page
    template = client.get("/funds/batches/bank-result-template.csv")
    assert template.status_code == 200 and "账号或身份证号码" in template.content.decode(
        "utf-8-sig"
    )
    viewer = login(fed.user("zs", "viewer"))
    refused = viewer.post(f"/funds/batches/{b.pk}/bank-result/", {"file": upload})
    assert refused.status_code == 403


def test_signed_sheet_needs_a_reviewer_above(fed):
    zs = fed.user("zs", "filler")
    b = batch(fed, fed.zs, zs)
    pay(b, zs, household(fed.zs, 40), "200.00", kind="goods", goods="米面油")
    with pytest.raises(ApplicationError, match="JPG、PNG 或 PDF"):
        signed_sheet_upload(batch=b, content=b"MZ\x90\x00", name="x.exe", actor=zs)
    signed_sheet_upload(batch=b, content=PNG, name="签领表.png", actor=zs)
    for who in (zs, fed.user("zs", "reviewer"), fed.user("zs", "admin")):
        with pytest.raises(NotPermitted):
            signed_sheet_confirm(batch=b, actor=who)
    b = signed_sheet_confirm(batch=b, actor=fed.user("city", "reviewer"))
    assert b.status == BatchStatus.CONFIRMED and b.confirmed_on == "signed"


def test_money_left_after_the_period_is_flagged(fed, login):
    zs = fed.user("zs", "filler")
    receive(fed, fed.zs, "1000.00")
    pay(batch(fed, fed.zs, zs), zs, household(fed.zs, 50), "600.00")
    during = dt.date(2012, 1, 20)
    assert retained_in(fed.campaign, fed.city, during) == []
    after = retained_for(fed.user("city", "viewer"), fed.campaign, today=dt.date(2012, 1, 23))
    assert [(r.unit.code, r.balance) for r in after] == [("210202", Decimal("400.00"))]
    row = ledger_for(zs, fed.campaign).root  # today is long after 2012's festival
    assert row.retained and "尚有结余 400.00 元" in row.warning
    page = text(login(zs).get(f"/funds/?campaign={fed.campaign.pk}"))
    assert "资金滞留" in page
    with pytest.raises(Exception, match="不在您的管辖范围内"):
        retained_for(fed.user("xg", "viewer"), fed.campaign, fed.zs)


def test_the_summary_of_f1_shows_money_retained(fed, login):
    receive(fed, fed.xg, "2500.00", source="government")
    client = login(fed.user("city", "viewer"))
    page = text(client.get(f"/campaigns/{fed.campaign.pk}/summary/210200/F1/"))
    assert "资金滞留" in page and "西岗区总工会" in page and "2500.00" in page
    f2 = text(client.get(f"/campaigns/{fed.campaign.pk}/summary/210200/F2/"))
    assert "资金滞留" not in f2  # 附件2 reports no campaign money


def test_the_signed_sheet_is_shown_to_those_who_check_it(fed, login):
    zs = fed.user("zs", "filler")
    b = batch(fed, fed.zs, zs)
    pay(b, zs, household(fed.zs, 60))
    url = f"/funds/batches/{b.pk}/signed-sheet/file"
    assert login(zs).get(url).status_code == 400  # nothing uploaded yet
    signed_sheet_upload(batch=b, content=PNG, name="签领表.png", actor=zs)
    assert b"".join(login(zs).get(url).streaming_content) == PNG
    assert login(fed.user("city", "reviewer")).get(url).status_code == 200
    assert login(fed.user("city", "viewer")).get(url).status_code == 403
    assert login(fed.user("xg", "filler")).get(url).status_code == 404
