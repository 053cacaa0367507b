"""English pages show no Chinese system text: every role's main pages, the error pages, the
messages that actions produce and the API's error answers, with English selected.

The rule. With English chosen, a Han character (CJK ideograph) may appear in a page only
  (a) inside an element whose ``lang`` starts with ``zh``: text that is Chinese by nature and
      is marked so for screen readers — the column headings and words an import file must
      hold (姓名、身份证号码 …, 是/否), the language switch's own 简体中文, and the lines of a
      case's log, which are kept as written when it happened (see below). Such an element may
      not hold controls (a form, button, input, select, textarea or table), so a mark cannot
      hide the page's own words;
  (b) as data: what users typed and this test stored (unit, person and campaign names,
      addresses, descriptions, file names), the configured 致困原因 and the districts named
      after their unions; and
  (c) as official form texts: every Chinese string of the form definitions (titles, header
      fields, item and blank labels, units, notes, the paper form's sentences cut at their
      blanks, the checks' own messages; also a 其中 part named on its own).
  (b) and (c) are taken out of the page's text, longest first, before it is looked at.
Everything else — text, the attributes a reader meets (title, placeholder, aria-label, alt,
label, a button's value) and the data-* attributes scripts show — is system text and must be
English. CJK punctuation is not counted (it carries no words).

Known exception, marked (a): a case's log (``cases.CaseEntry.text``) stores its lines as
Chinese sentences when they are written, system lines ("按事发地分派至…") included; showing them
in English needs the log to keep a message id and its values instead.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from chunfeng.applications.models import Cause
from chunfeng.applications.selectors import regions
from chunfeng.formdefs.loader import read_definitions
from tests.fixtures import ROLES, file_report
from tests.funds.helpers import batch, household, pay

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
CONTROLS = {"form", "button", "input", "select", "textarea", "table"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label"}


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    translation.deactivate()


class SystemText(HTMLParser):
    """Collects the text of a page that is not marked Chinese (rule a), with where it was."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside a lang="zh…" element)
        self.found: list[str] = []
        self.problems: list[str] = []

    @property
    def chinese(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        zh = self.chinese or lang.startswith("zh")
        if self.chinese and tag in CONTROLS:
            self.problems.append(f"<{tag}> inside an element marked lang=zh")
        if tag in {"html", "body", "main"} and lang.startswith("zh"):
            zh = False  # the page itself is English: checked by lang_attr elsewhere
        if not zh:
            for name, value in attrs.items():
                shown = name in SHOWN_ATTRIBUTES or name.startswith("data-")
                if value and (shown or (name == "value" and tag == "input" and _button(attrs))):
                    self.found.append(f"<{tag} {name}={value!r}>")
        if tag not in VOID:
            self.stack.append((tag, zh))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in {"script", "style"}:
            return
        if not self.chinese and data.strip():
            self.found.append(data.strip())


def _button(attrs: dict) -> bool:
    return (attrs.get("type") or "").lower() in {"submit", "button", "reset"}


def chinese_left(text: str, data: list[str]) -> list[str]:
    """The Han runs of ``text`` once the data (rule b) is taken out."""
    for value in data:
        text = text.replace(value, " ")
    return HAN.findall(text)


def assert_english(html: str, data: list[str]) -> None:
    found = check_page(html, data)
    assert not found, "Chinese system text:\n" + "\n".join(dict.fromkeys(found))


def assert_english_text(text: str, data: list[str]) -> None:
    assert not chinese_left(text, data), text


def check_page(html: str, data: list[str]) -> list[str]:
    parser = SystemText()
    parser.feed(html)
    parser.close()
    left = [f"{t[:160]!r}" for t in parser.found if chinese_left(t, data)]
    return parser.problems + left


# --- the federation and its data --------------------------------------------------------------


@pytest.fixture
def world(fed, settings, tmp_path):
    """The federation with a filed report, households, a payment batch, a case and an
    application; returns the URLs to visit and the data strings (rule b)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from chunfeng.applications.services import application_create
    from chunfeng.campaigns.passdown import campaign_pass_down
    from chunfeng.funds.receipts import receipt_create
    from tests.applications.conftest import app_data, make_standard
    from tests.cases.helpers import call

    zs_filler, zsg_filler = fed.user("zs", "filler"), fed.user("zsg", "filler")
    campaign_pass_down(
        campaign=fed.campaign,
        unit=fed.zs,
        actor=fed.user("zs", "admin"),
        target="grassroots",
        deadline=dt.date(2012, 1, 5),
        notice="请各基层工会按时报送",
    )
    file_report(fed, fed.zs_g1, submit=False)
    file_report(fed, fed.zs)
    h1 = household(fed.zs_g1, 1, "孙立", phone="13800000001")
    h2 = household(fed.zs, 2, "周红")
    receipt_create(
        unit=fed.zs,
        campaign=fed.campaign,
        source="government",
        amount="1000",
        received_on=dt.date(2012, 1, 2),
        actor=zs_filler,
        note="区财政拨款",
    )
    b = batch(fed, fed.zs, zs_filler, name="第一批")
    pay(b, zs_filler, h1)
    pay(b, zs_filler, h2)
    make_standard(fed)
    application = application_create(unit=fed.zs_g1, data=app_data(1), actor=zsg_filler)
    case = call(fed)  # a hotline call taken at the city on 2012-01-20
    c = fed.campaign.pk
    urls = [
        "/",
        "/campaigns/",
        f"/campaigns/{c}/",
        f"/campaigns/{c}/completeness/",
        f"/campaigns/{c}/reports/210202/F1/",
        f"/campaigns/{c}/reports/210202001/F1/",
        f"/campaigns/{c}/reports/210202/F1/history/",
        f"/campaigns/{c}/reports/210202/F1/import/",
        f"/campaigns/{c}/summary/210200/F1/",
        f"/campaigns/{c}/summary/210202/F1/",
        f"/campaigns/{c}/summary/210200/F1/table/",
        "/register/",
        f"/register/{h1.pk}/",
        f"/register/{h2.pk}/",
        "/register/import/",
        "/register/changes/",
        "/funds/",
        f"/funds/receipts/?campaign={c}",
        f"/funds/batches/?campaign={c}",
        f"/funds/batches/{b.pk}/",
        f"/funds/coverage/?campaign={c}",
        f"/funds/visits/?campaign={c}",
        f"/funds/duplicates/?campaign={c}",
        "/cases/",
        f"/cases/{case.pk}/",
        "/cases/figures/",
        "/applications/",
        f"/applications/{application.pk}/",
        "/applications/reviews/",
        "/applications/standards/",
        "/units/",
        "/users/",
        "/users/me/",
        f"/users/{fed.user('zs', 'filler').pk}/account/",
        "/jobs/999999/",
        "/no-such-page/",
    ]
    data = data_strings(fed, application)
    return urls, data


def data_strings(fed, application) -> list[str]:
    """What users typed (rule b), longest first so that no part of a value is left over."""
    values = {u.name for u in (fed.city, fed.zs, fed.xg, fed.industry, fed.zs_g1, fed.xg_g1)}
    values |= {"张三", "李四", fed.campaign.name, "孙立", "周红", "第一批", "区财政拨款"}
    values |= {"王大山", "工地拖欠三个月工资", "测试", "中山区", "请各基层工会按时报送"}
    values |= {"工作报告.pdf"}  # the work report's file name (tests.fixtures.attach_work_report)
    values |= {str(cause) for cause in Cause.objects.all()}  # 致困原因: configuration
    values |= {name for _code, name in regions()}  # the districts, named after their unions
    values |= form_texts()
    values |= {
        application.name,
        "青泥洼桥街道",
        "大连市中山区友好路 1 号",
        "大连示例机床厂",
        "车工",
        "工商银行",
        "工资",
        "低保金",
        "配偶1",
        "子女1",
        "配偶",
        "子女",
        "大病",
        "小学",
    }
    return sorted((v for v in values if v and HAN.search(v)), key=len, reverse=True)


def form_texts() -> set[str]:
    """The official form texts: every Chinese string of the form definitions (titles, header
    fields, item and blank labels, units, notes, the paper form's sentences cut at their blanks,
    the checks' own messages)."""
    texts: set[str] = set()
    for _path, raw, _definition in read_definitions():
        for text in _strings(raw):
            texts |= {part for part in re.split(r"\{[^}]*\}", text) if part}
    # a part of a sum (其中…) named on its own, as the 汇总's composition chart does
    texts |= {text.removeprefix("其中") for text in texts}
    return texts


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["city", "zs", "zsg"])
@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_chinese_system_text(fed, world, login, unit, role):
    urls, data = world
    client = english(login(fed.user(unit, role)))
    failures, statuses = {}, set()
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        assert response["Content-Language"] == "en", url
        found = check_page(response.content.decode(), data)
        if found:
            failures[url] = found
    assert not failures, report(failures)
    assert {200, 404} <= statuses  # the error page is among those looked at
    if role == "filler":
        assert 403 in statuses  # e.g. the user list and the changes awaiting review


def report(failures: dict[str, list[str]]) -> str:
    lines = ["Chinese system text on English pages:"]
    for url, found in failures.items():
        lines += [url, *(f"    {text}" for text in dict.fromkeys(found))]
    return "\n".join(lines)


def test_the_login_page_has_no_chinese_system_text(db):
    response = english(Client()).get("/login/")
    assert check_page(response.content.decode(), []) == []


# --- messages produced by actions --------------------------------------------------------------


def messages_of(html: str) -> str:
    match = re.search(r'<ul class="messages">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def grassroots_report(fed):
    from chunfeng.reports.models import Report

    return Report.objects.get(unit=fed.zs_g1, campaign_form__campaign=fed.campaign)


def test_a_save_with_invalid_input_is_answered_in_english(fed, world, login):
    _urls, data = world
    client = english(login(fed.user("zsg", "filler")))
    url = f"/campaigns/{fed.campaign.pk}/reports/210202001/F1/"
    version = grassroots_report(fed).version
    response = client.post(url, {"v-01A": "abc", "v-01A.2": "-1", "version": version})
    page = response.content.decode()
    assert response.status_code == 400 and messages_of(page), "the refusal is shown"
    assert_english(page, data)
    blank = client.post(url + "blank/", {"code": "01A", "value": "abc", "version": version})
    assert blank.status_code == 400 and blank.json()["error"]
    assert_english_text(blank.json()["error"], data)


def test_a_refused_submit_is_answered_in_english(fed, world, login):
    _urls, data = world
    client = english(login(fed.user("zsg", "filler")))
    url = f"/campaigns/{fed.campaign.pk}/reports/210202001/F1/submit/"
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert messages_of(page), "the refusal is shown"
    assert_english(page, data)


def test_a_refused_stale_save_is_answered_in_english(fed, world, login):
    _urls, data = world
    client = english(login(fed.user("zsg", "filler")))
    url = f"/campaigns/{fed.campaign.pk}/reports/210202001/F1/"
    old = grassroots_report(fed).version
    saved = client.post(url + "blank/", {"code": "01A", "value": "7", "version": old})
    assert saved.status_code == 200, saved.content
    stale = client.post(url + "blank/", {"code": "01A", "value": "8", "version": old})
    assert stale.status_code == 409 and stale.json()["error"]
    assert_english_text(stale.json()["error"], data)
    response = client.post(url, {"v-01A": "9", "version": old})
    page = response.content.decode()
    assert response.status_code == 409 and messages_of(page)
    assert_english(page, data)


def test_an_import_error_is_answered_in_english(fed, world, login):
    urls, data = world
    client = english(login(fed.user("zs", "filler")))
    upload = SimpleUploadedFile("名单.csv", "姓名,身份证号码\n张三,123\n".encode(), "text/csv")
    response = client.post("/register/import/", {"file": upload}, follow=True)
    page = response.content.decode()
    assert_english(page, data + ["名单.csv", "张三"])


# --- the API -------------------------------------------------------------------------------------


def test_api_errors_answer_in_the_language_asked_for(fed, world, api):
    _urls, data = world
    client = api(fed.token("zs", "filler"))
    answers = [
        client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en"),
        client.get("/api/v1/campaigns/999999/", HTTP_ACCEPT_LANGUAGE="en"),
        client.post(
            "/api/v1/households/",
            data="{}",
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        Client().get("/api/v1/campaigns/", HTTP_ACCEPT_LANGUAGE="en"),
    ]
    for response in answers:
        body = response.json()
        assert response.status_code >= 400, body
        assert response["Content-Language"] == "en"
        assert_english_text(json.dumps(body, ensure_ascii=False), data), body


def test_api_errors_are_chinese_without_accept_language(fed, api):
    response = api(fed.token("zs", "filler")).get("/api/v1/campaigns/999999/")
    assert HAN.search(response.json()["message"])


# --- the parser itself ---------------------------------------------------------------------------


def test_the_rule_finds_chinese_outside_marked_elements():
    page = (
        '<p>Unit <span lang="zh-Hans">中山区</span></p><p title="保存">x</p>'
        '<div lang="zh-Hans"><button>报送</button></div><p>已保存</p>'
    )
    found = check_page(page, [])
    assert "<button> inside an element marked lang=zh" in found
    assert any("保存" in f and "title" in f for f in found)
    assert any("已保存" in f for f in found)
    assert not any("中山区" in f for f in found)
    assert check_page("<p>The report of 孙立 was saved</p>", ["孙立"]) == []


def test_the_workers_public_12351_pages_in_english(fed, django_capture_on_commit_callbacks):
    """The public request and status pages (no login) in English too: the form, its answer with
    the case number, and a lookup that finds nothing. The region choices are unit names (data)."""
    from chunfeng.cases.public import public_regions
    from tests.cases.test_public import REQUEST

    regions = [name for _code, name in public_regions()]
    client = english(Client())
    assert check_page(client.get("/12351/").content.decode(), regions) == []
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/12351/", REQUEST)
    assert answer.status_code == 200 and 'id="case-number"' in answer.content.decode()
    assert check_page(answer.content.decode(), regions) == []
    status = client.post("/12351/status/", {"number": "NOPE", "phone": "13900000000"})
    assert 'id="not-found"' in status.content.decode()
    assert check_page(status.content.decode(), []) == []
