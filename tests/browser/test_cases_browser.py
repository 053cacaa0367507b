"""A hotline case in a real browser: the city's operator takes the call and it goes to 中山区 by
its region; 中山区 passes it to its street union, which acknowledges and closes it with the money
recovered; the worker checks its status on the phone-sized public page. No page breaks the
Content-Security-Policy (the ``page`` fixture fails the test on any violation)."""

import pytest

from chunfeng.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fed_tx(transactional_db, settings, tmp_path):
    from tests.fixtures import build_federation

    settings.MEDIA_ROOT = tmp_path
    return build_federation()


def sign_in_as(page, live_server, user):
    from tests.fixtures import PASSWORD

    page.context.clear_cookies()
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_intake_assign_close_and_the_workers_status(page, live_server, fed_tx):
    fed = fed_tx
    sign_in_as(page, live_server, fed.user("city", "filler"))
    page.click("text=12351工单")
    page.click("text=受理工单")
    page.fill("input[name=caller_name]", "王大山")
    page.fill("input[name=caller_phone]", "13904110001")
    page.select_option("select[name=category]", "wages")
    page.fill("textarea[name=description]", "工地拖欠三个月工资")
    page.fill("input[name=region]", "210202001")
    page.click("button:has-text('受理')")
    page.wait_for_selector("#case-unit")
    assert "中山区总工会" in page.inner_text("#case-unit")
    case = Case.objects.get()

    sign_in_as(page, live_server, fed.user("zs", "filler"))
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("#transfer summary")
    page.select_option("#transfer select[name=unit]", "210202001")
    page.fill("#transfer input[name=reason]", "企业在青泥洼桥街道")
    page.click("#transfer button[type=submit]")
    page.wait_for_selector("text=已转至")
    assert "青泥洼桥街道总工会" in page.inner_text("#case-unit")

    sign_in_as(page, live_server, fed.user("zsg", "filler"))
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("#acknowledge")
    page.wait_for_selector("text=已签收")
    page.click("#close summary")
    page.select_option("#close select[name=outcome]", "solved")
    page.fill("#close input[name=recovered]", "26000")
    page.click("#close button[type=submit]")
    page.wait_for_selector("#case-outcome")
    assert "26000.00" in page.inner_text("#case-outcome")
    assert "已办结" in page.inner_text("#case-status")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 740})  # a phone
    page.goto(f"{live_server.url}/12351/status/")
    page.fill("input[name=number]", case.number)
    page.fill("input[name=phone]", "13904110001")
    page.click("button[type=submit]")
    page.wait_for_selector("#public-case")
    text = page.inner_text("#public-case")
    assert "已办结" in text and "26000.00" in text and "工地拖欠" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="test-artifacts/cases-public-status.png")
