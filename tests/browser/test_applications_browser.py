"""An application from the grassroots union's form to the household file, in a real browser at
a desktop's and a phone's size: filed, checked, visited with its two signed documents, reviewed,
verified, published and approved by the help centre above; nothing wider than the screen."""

import datetime as dt

import pytest

from chunfeng.applications.models import Application
from chunfeng.register.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [(1366, 900), (390, 844)]


@pytest.fixture
def fed_tx(transactional_db, settings, tmp_path):
    from tests.applications.conftest import make_standard
    from tests.fixtures import build_federation

    settings.MEDIA_ROOT = tmp_path
    fed = build_federation()
    make_standard(fed)
    return fed


def session(browser, live_server, user, size):
    from tests.fixtures import PASSWORD

    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "Refused" in m.text else None,
    )
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.problems = problems
    return page


WIDE = """w => [...document.querySelectorAll('body *')]
    .filter(e => e.scrollWidth > e.clientWidth + 2 && e.clientWidth > 0)
    .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth)"""


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDE, width)
    assert scroll <= width, f"page is {scroll}px wide on a {width}px screen: {wide}"


def act(page, label: str, fields: dict | None = None) -> None:
    box = page.locator("details", has=page.locator(f"summary:text-is('{label}')"))
    box.locator("summary").click()
    for name, value in (fields or {}).items():
        box.locator(f"[name={name}]").fill(value)
    box.locator("button[type=submit]").click()
    page.locator(".messages").wait_for()


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_application_to_approval(fed_tx, browser, live_server, tmp_path, size):
    fed, url = fed_tx, live_server.url
    from tests.applications.conftest import USCC, ident

    g = session(browser, live_server, fed.user("zsg", "filler"), size)
    g.goto(url + "/applications/")
    g.click("a:has-text('代职工提交申请')")
    fits(g, size[0])
    for name, value in {
        "name": "王红", "id_number": ident(7), "phone": "13912345678", "street": "青泥洼桥街道",
        "address": "友好路 9 号", "employer": "大连示例机床厂", "employer_uscc": USCC,
        "m1_name": "李强", "m1_id_number": ident(8), "m1_relation": "配偶", "m1_health": "尿毒症",
        "m2_name": "李小红", "m2_relation": "子女", "m2_school": "初中",
        "i1_item": "工资", "i1_amount": "900", "bank_account": "6227001234567890",
    }.items():  # fmt: skip
        g.fill(f"[name={name}]", value)
    g.select_option("[name=main_cause]", "illness")
    g.select_option("[name=category]", "B")
    g.click("button:has-text('提交申请')")
    g.wait_for_url("**/applications/*/")
    assert "待初审" in g.content() and ident(7) not in g.content()
    fits(g, size[0])
    act(g, "初审通过")
    for kind, name in (("signed", "申请书.pdf"), ("consent", "授权书.pdf")):
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.4 signed")
        g.select_option("[name=kind]", kind)
        g.set_input_files("input[type=file]", str(path))
        g.click("button:has-text('上传')")
        g.locator(".messages", has_text="已上传材料").wait_for()
    act(
        g,
        "记录入户调查并报上级审核",
        {"visited_on": "2011-10-20", "visitors": "王五", "findings": "配偶长期透析"},
    )
    assert "待上级审核" in g.content()
    application = Application.objects.get()

    c = session(browser, live_server, fed.user("zs", "reviewer"), size)
    c.goto(url + "/applications/")
    c.locator("a", has_text="王红").click()
    act(c, "审核通过")
    act(c, "记录家庭经济状况核对结果", {"reference": "民核2011-7"})
    start = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    act(c, "开始公示", {"start": start})
    assert "打印公示书" in c.content()
    fits(c, size[0])
    act(c, "审批建档")
    assert "已建档" in c.content()
    c.click("a:has-text('查看困难职工档案')")
    c.wait_for_url("**/register/*/")
    fits(c, size[0])
    household = Household.objects.get()
    assert (household.name, household.category, household.family_size) == ("王红", "B", 3)
    application.refresh_from_db()
    assert application.household == household
    c.screenshot(path=str(tmp_path / f"file-{size[0]}.png"), full_page=True)
    assert not g.problems and not c.problems
