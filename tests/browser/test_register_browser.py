"""The real-name story in a real browser: a grassroots filler imports the household list, pays a
batch and prints the signature sheet; when the district goes to pay one of the same families it
is told before saving, and the line is flagged; the city's 汇总 shows where the district's
reported 06A differs from its payments."""

import pytest

from chunfeng.funds.models import DuplicateFlag, PaymentLine
from chunfeng.register.models import Household
from chunfeng.reports.models import Report, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fed_tx(transactional_db, settings, tmp_path):
    from tests.fixtures import build_federation

    settings.MEDIA_ROOT = tmp_path
    fed = build_federation()
    fed.campaign.recipients.add(fed.zs_g1)
    return fed


def session(browser, live_server, user):
    from tests.fixtures import PASSWORD

    page = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    ).new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def household_csv(tmp_path):
    from tests.funds.helpers import ident

    rows = [
        "姓名,身份证号码,联系电话,工作单位,困难类别,家庭人口,家庭月人均收入,是否农民工,是否劳模"
    ]
    names = ["王大山", "李秀英", "张建国"]
    for i, name in enumerate(names, start=1):
        rows.append(
            f"{name},{ident(i)},1390000000{i},大连港,B,3,480.00,{'是' if i == 2 else '否'},否"
        )
    path = tmp_path / "困难职工名单.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, [ident(i) for i in range(1, 4)]


def test_import_pay_print_and_duplicate_seen_by_the_district(
    fed_tx, browser, live_server, tmp_path
):
    fed = fed_tx
    csv_path, numbers = household_csv(tmp_path)
    grassroots = session(browser, live_server, fed.user("zsg", "filler"))
    grassroots.goto(live_server.url + "/register/import/")
    grassroots.set_input_files("input[type=file]", str(csv_path))
    grassroots.click("button:has-text('上传并检查')")
    grassroots.click("button:has-text('确认导入')")
    grassroots.get_by_text("已完成").first.wait_for()
    assert Household.objects.filter(unit=fed.zs_g1).count() == 3

    grassroots.goto(f"{live_server.url}/funds/batches/?campaign={fed.campaign.pk}")
    grassroots.fill("input[name=name]", "春节慰问第一批")
    grassroots.click("button:has-text('新建批次')")
    grassroots.wait_for_url("**/funds/batches/*/**")
    for number in numbers[:2]:
        grassroots.fill("input[name=id_number]", number)
        grassroots.fill("input[name=amount]", "600.00")
        grassroots.click("button:has-text('添加')")
        grassroots.locator(".messages", has_text="已添加").wait_for()
    with grassroots.expect_download() as download:
        grassroots.click("a:has-text('签领表')")
    sheet = tmp_path / "sign.pdf"
    download.value.save_as(sheet)
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", str(sheet), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "签领表" in text and "王大山" in text and "李秀英" in text

    district = session(browser, live_server, fed.user("zs", "filler"))
    district.goto(f"{live_server.url}/funds/batches/?campaign={fed.campaign.pk}")
    district.fill("input[name=name]", "区总工会慰问")
    district.click("button:has-text('新建批次')")
    district.wait_for_url("**/funds/batches/*/**")
    district.fill("input[name=id_number]", numbers[0])
    district.locator("#precheck", has_text="青泥洼桥街道总工会已于").wait_for()
    district.screenshot(path="test-artifacts/payment-precheck.png", full_page=True)
    district.fill("input[name=amount]", "500.00")
    district.click("button:has-text('添加')")
    district.locator(".messages", has_text="重复发放").wait_for()
    line = PaymentLine.objects.get(unit=fed.zs)
    assert DuplicateFlag.objects.filter(line=line, kind="exact", status="open").exists()

    district.goto(f"{live_server.url}/funds/coverage/?campaign={fed.campaign.pk}")
    assert "张建国" in district.text_content("main")  # on file, neither visited nor helped

    from tests.fixtures import file_report

    report = file_report(fed, fed.zs, submit=False, values={"06A": "5"})
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    city = session(browser, live_server, fed.user("city", "reviewer"))
    city.goto(f"{live_server.url}/campaigns/{fed.campaign.pk}/summary/210200/F1/")
    assert city.locator("#record-diffs").count() == 0  # compared on request (htmx)
    city.click("#load-compare")
    diffs = city.locator("#record-diffs")
    assert "06A" in diffs.text_content()  # the totals are compared at once, each unit on request
    # the mark swapped in beside the total, which still opens its drill-down
    assert "记录" in city.locator("[id='t-06A'] + .diff-note").text_content()
    city.screenshot(path="test-artifacts/summary-compare.png", full_page=True)
    city.click("[id='t-06A']")
    city.locator("#drill", has_text="中山区总工会").wait_for()
    city.click("#record-diffs a:has-text('逐个报送单位核对')")
    city.wait_for_url("**unit_diffs=1**")
    diffs = city.locator("#record-diffs")
    assert "中山区总工会" in diffs.text_content() and "06A" in diffs.text_content()
    assert "0.1700" in diffs.text_content()  # 600 + 600 + 500 yuan paid in the district
