"""The 签领表 and 公示名单 PDFs (read back with pdftotext) and the bank payroll CSV, released only
from a batch a reviewer approved; each export of full numbers logged household by household."""

import csv
import datetime as dt
import io
import re
import shutil
import subprocess

import pytest

from chunfeng.core.personal import mask_id
from chunfeng.funds.approval import batch_approve
from chunfeng.funds.printing import bank_csv, notice_pdf, sign_sheet_pdf
from chunfeng.funds.services import line_cancel
from chunfeng.register.models import IdAccess

from .helpers import batch, household, pay

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return out.stdout.decode()


@pytest.fixture
def paid(fed):
    """zs's batch: three cash lines, one goods line, one cancelled line."""
    filler = fed.user("zs", "filler")
    b = batch(fed, fed.zs, filler, "春节慰问第一批")
    people = [
        household(fed.zs_g1, 1, "王建国", bank="6222020000000001", category="B"),
        household(fed.zs_g1, 2, "李秀英", bank="6222020000000002", category="C"),
        household(fed.zs, 3, '=HYPERLINK("x")', bank="@6222020000000003", category="D"),
        household(fed.zs, 4, "赵实物", bank="", category="B"),
        household(fed.zs, 5, "钱撤销", bank="6222020000000005"),
    ]
    pay(b, filler, people[0], "500")
    pay(b, filler, people[1], "1200.5", aid="medical")
    pay(b, filler, people[2], "300")
    pay(b, filler, people[3], "260.00", kind="goods", goods="大米两袋", aid="living")
    line_cancel(line=pay(b, filler, people[4], "999"), actor=filler, reason="录错")
    batch_approve(batch=b, actor=fed.user("city", "reviewer"))
    b.refresh_from_db()
    return b, people


@needs_pdftotext
def test_sign_sheet_for_a_filler_has_full_ids_and_is_logged(fed, paid):
    b, people = paid
    filler = fed.user("zs", "filler")
    page = pdf_text(sign_sheet_pdf(batch=b, user=filler))
    assert "2012年春风行动 送温暖慰问金（物）签领表" in page
    assert "中山区总工会" in page and "春节慰问第一批" in page
    for header in (
        "序号",
        "姓名",
        "身份证号码",
        "困难类别",
        "救助类别",
        "金额（元）",
        "签名",
        "日期",
    ):
        assert header in page
    for h in people[:4]:
        assert h.id_number in page
    assert "王建国" in page and "李秀英" in page and "赵实物" in page and "钱撤销" not in page
    rows = [line for line in page.splitlines() if re.match(r"\s*[1-9]\d*\s+\S", line)]
    assert [int(r.split()[0]) for r in rows] == [1, 2, 3, 4]  # one line per recipient
    flat = re.sub(r"\s+", "", page)
    assert "合计4人" in flat and "2,260.50" in page
    assert "实物：大米两袋" in page and "医疗救助" in page and "低保边缘" in page
    assert "第1页共1页" in flat
    logs = IdAccess.objects.filter(purpose="export:sign-sheet")
    assert {log.household_id for log in logs} == {h.pk for h in people[:4]}
    assert all(log.user == filler and log.details["batch"] == b.pk for log in logs)


@needs_pdftotext
def test_sign_sheet_for_a_reviewer_is_masked(fed, paid):
    b, people = paid
    page = pdf_text(sign_sheet_pdf(batch=b, user=fed.user("city", "reviewer")))
    assert mask_id(people[0].id_number) in page and people[0].id_number not in page
    assert not IdAccess.objects.exists()


@needs_pdftotext
def test_long_sheet_runs_over_pages(fed):
    filler = fed.user("zs", "filler")
    b = batch(fed, fed.zs, filler)
    for i in range(1, 41):
        pay(b, filler, household(fed.zs_g1, 100 + i, f"职工{i:02d}号"), "100")
    page = pdf_text(sign_sheet_pdf(batch=b, user=filler))
    assert re.search(r"第1页共[23]页", re.sub(r"\s+", "", page))
    for i in range(1, 41):
        assert page.count(f"职工{i:02d}号") == 1
    assert page.count("签名") >= 2  # the header repeats on each page


@needs_pdftotext
def test_notice_masks_ids(fed, paid):
    b, people = paid
    page = pdf_text(notice_pdf(batch=b, start=dt.date(2012, 1, 10), days=7))
    assert "发放公示名单" in page and "王建国" in page and "李秀英" in page
    assert "钱撤销" not in page
    for h in people[:4]:
        assert h.id_number not in page and mask_id(h.id_number) in page
    flat = re.sub(r"\s+", "", page)
    assert "公示期为2012年01月10日至2012年01月16日（7天）" in flat
    assert "向以下4户困难职工家庭" in flat and "共计2,260.50元" in flat
    assert "联系人：张三" in flat


def test_bank_csv(fed, paid):
    b, people = paid
    filler = fed.user("zs", "filler")
    b.lines.filter(household=people[3]).update(kind="goods")  # the goods line is not for the bank
    data = bank_csv(batch=b, user=filler)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "身份证号码", "银行卡号", "金额"]
    assert rows[1] == ["王建国", people[0].id_number, "6222020000000001", "500.00"]
    assert rows[2] == ["李秀英", people[1].id_number, "6222020000000002", "1200.50"]
    assert rows[3] == ['\'=HYPERLINK("x")', people[2].id_number, "'@6222020000000003", "300.00"]
    assert len(rows) == 4  # goods and cancelled lines left out
    logs = IdAccess.objects.filter(purpose="export:bank")
    assert {log.household_id for log in logs} == {h.pk for h in people[:3]}
    assert all(log.user == filler and log.details["batch"] == b.pk for log in logs)


def test_bank_csv_refuses_missing_accounts_and_non_editors(fed, paid):
    from chunfeng.core.errors import ApplicationError, NotPermitted

    b, people = paid
    people[0].bank_account = ""
    people[0].save()
    with pytest.raises(ApplicationError, match="没有银行卡号：王建国"):
        bank_csv(batch=b, user=fed.user("zs", "filler"))
    for key in ("zs_viewer", "zs_reviewer", "city_reviewer", "zsg_filler"):
        with pytest.raises(NotPermitted):
            bank_csv(batch=b, user=fed.user(*key.split("_")))
    assert not IdAccess.objects.exists()


def test_download_views(fed, paid, login):
    b, _people = paid
    filler = login(fed.user("zs", "filler"))
    sheet = filler.get(f"/funds/batches/{b.pk}/sign-sheet.pdf")
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    assert "attachment" in sheet["Content-Disposition"]
    notice = filler.get(f"/funds/batches/{b.pk}/notice.pdf?start=2012-01-10&days=5")
    assert notice.status_code == 200 and b"".join(notice.streaming_content).startswith(b"%PDF")
    bank = filler.get(f"/funds/batches/{b.pk}/bank.csv")
    assert bank.status_code == 200 and bank.content.startswith("\ufeff姓名".encode())
    _people[1].bank_account = ""
    _people[1].save()
    refused = filler.get(f"/funds/batches/{b.pk}/bank.csv", follow=True)
    assert "没有银行卡号：李秀英" in refused.content.decode()
    viewer = login(fed.user("zs", "viewer"))
    assert viewer.get(f"/funds/batches/{b.pk}/bank.csv").status_code == 403
    assert viewer.get(f"/funds/batches/{b.pk}/sign-sheet.pdf").status_code == 200
    assert (
        login(fed.user("xg", "filler")).get(f"/funds/batches/{b.pk}/notice.pdf").status_code == 404
    )
