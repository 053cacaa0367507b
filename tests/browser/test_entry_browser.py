"""A district filler fills a form in a real browser: live checks flag wrong figures beside the
blanks as they type, the draft is saved, and it is there when they come back."""

import re

import pytest
from playwright.sync_api import expect

from chunfeng.reports.models import ReportValue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fed_tx(transactional_db):
    from tests.fixtures import build_federation

    return build_federation()


def test_fill_check_and_save_form1(fed_tx, sign_in, live_server):
    fed = fed_tx
    page = sign_in(fed.user("zs", "filler"))
    page.click("a.button:has-text('填报') >> nth=0")
    page.wait_for_url("**/reports/210202/F1/")
    assert "送温暖工程统计表" in page.text_content("h1")

    page.fill("[name='v-01A']", "100")
    page.fill("[name='v-01A.2']", "250")
    msg = page.locator("#msgs-01-A .msg.error")
    msg.wait_for()
    assert "F1-01" in msg.text_content()
    assert "has-error" in page.get_attribute("[name='v-01A.2']", "class")
    assert "F1-01" in page.text_content("#checklist")

    page.fill("[name='v-01A.2']", "60")
    # locators, not wait_for_function: the Content-Security-Policy forbids evaluating strings
    expect(page.locator("#msgs-01-A .msg")).to_have_count(0)
    expect(page.locator("#b-01A-2")).not_to_have_class(re.compile(r"\bhas-error\b"))

    page.fill("[name='v-05A']", "2.5")
    page.fill("[name='v-05B']", "abc")
    page.locator("#checklist li.error", has_text="不是数字").wait_for()
    page.fill("[name='v-05B']", "2.5")
    page.fill("[name='filler_name']", "王芳")
    page.screenshot(path="test-artifacts/entry-f1.png", full_page=True)
    page.click("button:has-text('保存草稿')")
    page.locator(".messages", has_text="草稿已保存").wait_for()

    saved = dict(ReportValue.objects.values_list("code", "value"))
    assert saved["01A"] == 100 and saved["01A.2"] == 60 and str(saved["05A"]) == "2.5000"
    page.reload()
    assert page.input_value("[name='v-05B']") == "2.5000"
    assert page.input_value("[name='filler_name']") == "王芳"


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)])
def test_keyboard_moves_through_the_blanks(fed_tx, sign_in, live_server, viewport):
    """Enter and Tab go to the next blank, Shift+Enter and Shift+Tab back; Enter never submits
    the form (nothing is saved, the page does not reload to the top)."""
    fed = fed_tx
    page = sign_in(fed.user("zs", "filler"))
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(f"{live_server.url}/campaigns/{fed.campaign.pk}/reports/210202/F1/")
    blanks = page.locator(".paper .blank")
    assert blanks.count() > 10

    blanks.nth(0).click()
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    expect(blanks.nth(1)).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    expect(blanks.nth(2)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(blanks.nth(1)).to_be_focused()
    page.keyboard.press("Shift+Enter")
    expect(blanks.nth(0)).to_be_focused()
    # deep in the form Enter still moves on, and the blank it reaches is on screen
    blanks.nth(40).click()
    page.keyboard.press("Enter")
    expect(blanks.nth(41)).to_be_focused()
    expect(blanks.nth(41)).to_be_in_viewport()
    # the header fields take part too: from the filler's name Enter goes on to the phone
    page.locator("[name='filler_name']").click()
    page.keyboard.press("Enter")
    expect(page.locator("[name='filler_phone']")).to_be_focused()

    # the form was not submitted (no reload, no draft message): each blank was saved as it was
    # left, by the per-blank save
    expect(page.locator(".messages", has_text="草稿已保存")).to_have_count(0)
    expect(blanks.nth(1)).to_have_attribute("data-saved", "")
    assert blanks.nth(0).input_value() == "12" and blanks.nth(1).input_value() == "5"
    codes = [blanks.nth(i).get_attribute("data-code") for i in (0, 1, 2)]
    saved = dict(ReportValue.objects.values_list("code", "value"))
    assert saved[codes[0]] == 12 and saved[codes[1]] == 5

    # an invalid figure stays on screen, marked with its message, and is not stored
    blanks.nth(2).click()
    page.keyboard.type("abc")
    page.keyboard.press("Tab")
    expect(blanks.nth(2)).to_have_class(re.compile(r"\bsave-refused\b"))
    expect(page.locator("#save-status")).to_contain_text("未保存")
    assert blanks.nth(2).input_value() == "abc"
    assert not ReportValue.objects.filter(code=codes[2]).exists()


def test_submit_asks_for_confirmation(fed_tx, sign_in, live_server, settings, tmp_path):
    """报送 asks first (data-confirm, handled in app.js): saying no leaves the draft a draft."""
    from chunfeng.reports.models import Report, ReportStatus
    from tests.fixtures import file_report

    settings.MEDIA_ROOT = tmp_path
    fed = fed_tx
    file_report(fed, fed.zs, submit=False)
    work_report = tmp_path / "中山区工作报告.pdf"
    work_report.write_bytes(b"%PDF-1.4 demo")
    page = sign_in(fed.user("zs", "filler"))
    page.goto(f"{live_server.url}/campaigns/{fed.campaign.pk}/reports/210202/F1/")
    page.set_input_files("input[name=file]", str(work_report))
    page.click("button:has-text('上传工作报告')")
    page.locator(".messages", has_text="已上传").wait_for()
    assert "自动审核" in page.text_content("#checklist")

    asked: list[str] = []

    def no(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", no)
    page.click("button.primary:has-text('报送')")
    assert asked and "报送" in asked[0]
    assert Report.objects.get(unit=fed.zs, campaign_form__code="F1").status == ReportStatus.DRAFT

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.primary:has-text('报送')")
    page.locator(".messages", has_text="已报送").wait_for()
    assert (
        Report.objects.get(unit=fed.zs, campaign_form__code="F1").status == ReportStatus.SUBMITTED
    )


def test_an_explanation_is_saved_as_it_is_left(fed_tx, sign_in, live_server, settings, tmp_path):
    """A warning's 说明 is saved when its box is left, "报送前还需要" follows at once, and the
    explanation is there, beside its warning, when the page is opened again."""
    from chunfeng.reports.models import Report
    from tests.fixtures import attach_work_report, file_report

    settings.MEDIA_ROOT = tmp_path
    fed = fed_tx
    # 06A ≠ 05A: the warning F1-W01 and nothing else stands before 报送
    file_report(fed, fed.zs, submit=False, values={"05A": 10, "05B": 10, "06A": 8, "04C": 3})
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    page = sign_in(fed.user("zs", "filler"))
    page.goto(f"{live_server.url}/campaigns/{fed.campaign.pk}/reports/210202/F1/")
    expect(page.locator("#submit-problems")).to_contain_text("F1-W01")
    expect(page.locator("#submit-report")).to_be_disabled()

    box = page.locator("#checklist li.warning", has_text="F1-W01").locator("textarea")
    box.fill("余款2万元用于春节后走访")
    box.press("Tab")  # leave the box
    expect(box).to_have_attribute("data-saved", "")
    expect(page.locator("#save-status")).to_contain_text("F1-W01 的说明 已保存")
    expect(page.locator("#submit-problems")).to_have_count(0)
    expect(page.locator("#submit-report")).to_be_enabled()
    expect(page.locator("#checklist")).to_contain_text("可以报送")
    report = Report.objects.get(unit=fed.zs, campaign_form__code="F1")
    assert report.explanations == {"F1-W01": "余款2万元用于春节后走访"}

    page.reload()
    again = page.locator("#checklist li.warning", has_text="F1-W01").locator("textarea")
    expect(again).to_have_value("余款2万元用于春节后走访")
    expect(page.locator("#submit-report")).to_be_enabled()
    # emptied and left again: the explanation goes and 报送 waits for it once more
    again.fill("")
    again.press("Tab")
    expect(page.locator("#submit-problems")).to_contain_text("F1-W01")
    expect(page.locator("#submit-report")).to_be_disabled()
    report.refresh_from_db()
    assert report.explanations == {}
