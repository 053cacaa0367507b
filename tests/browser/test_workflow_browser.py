"""submit → return → resubmit → approve, clicked through by a district filler and the city
reviewer in a real browser."""

import pytest

from chunfeng.reports.models import Report, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fed_tx(transactional_db, settings, tmp_path):
    from tests.fixtures import build_federation

    settings.MEDIA_ROOT = tmp_path
    return build_federation()


def test_submit_return_resubmit_approve(fed_tx, browser, live_server, tmp_path):
    from tests.fixtures import PASSWORD, file_report

    fed = fed_tx
    file_report(fed, fed.zs, submit=False)  # a complete draft of 附件1, all zeros
    work_report = tmp_path / "中山区工作报告.pdf"
    work_report.write_bytes(b"%PDF-1.4 demo")

    def session(user):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        # 报送, 退回 and 审核通过 ask first (data-confirm); these users say yes
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(live_server.url + "/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        return page

    report_url = f"{live_server.url}/campaigns/{fed.campaign.pk}/reports/210202/F1/"
    filler = session(fed.user("zs", "filler"))
    filler.goto(report_url)
    assert filler.is_disabled("button:has-text('报送')")  # no work report yet
    filler.set_input_files("input[name=file]", str(work_report))
    filler.click("button:has-text('上传工作报告')")
    filler.locator(".messages", has_text="已上传").wait_for()
    filler.click("button.primary:has-text('报送')")
    filler.locator(".messages", has_text="已报送").wait_for()

    reviewer = session(fed.user("city", "reviewer"))
    reviewer.locator("#review-queue", has_text="中山区总工会").wait_for()
    reviewer.click("#review-queue a:has-text('审核')")
    reviewer.fill("input[name=reason][required]", "04C 慰问户数与走访记录不符，请核实")
    reviewer.click("button:has-text('退回')")
    reviewer.locator(".messages", has_text="已退回").wait_for()

    filler.goto(live_server.url + "/")
    filler.locator("#todo", has_text="04C 慰问户数与走访记录不符").wait_for()
    filler.goto(report_url)
    filler.fill("[name='v-04C']", "3")
    filler.fill("[name='v-04C.2']", "3")
    filler.click("button:has-text('保存草稿')")
    filler.locator(".messages", has_text="草稿已保存").wait_for()
    filler.click("button.primary:has-text('报送')")
    filler.locator(".messages", has_text="已报送").wait_for()

    reviewer.goto(report_url)
    reviewer.click("button:has-text('审核通过')")
    reviewer.locator(".messages", has_text="已审核通过").wait_for()
    assert "已审核通过" in reviewer.text_content("#report-status")
    reviewer.screenshot(path="test-artifacts/workflow-approved.png", full_page=True)

    filler.goto(report_url)
    assert filler.locator("[name='v-04C']").get_attribute("readonly") is not None
    report = Report.objects.get(unit=fed.zs, campaign_form__code="F1")
    assert report.status == ReportStatus.APPROVED
