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
