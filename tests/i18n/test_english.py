"""English through Django's i18n: Chinese first, English only when the user picks it.

The catalogue in chunfeng/locale/en is checked too: every entry translated, nothing fuzzy,
placeholders kept, and the committed .mo compiled from the current .po.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"


@pytest.fixture(autouse=True)
def _restore_language():
    """ChineseFirstLocaleMiddleware activates the chosen language for the thread and leaves it
    active after the response; without this, English would leak into the tests that follow."""
    yield
    translation.deactivate()


NAV_ZH = ["首页", "活动", "组织机构", "用户", "退出"]
NAV_EN = ["Home", "Campaigns", "Organization", "Users", "Sign out"]


def lang_attr(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', page)
    assert match, "no <html lang=...>"
    return match.group(1)


def nav(page: str) -> str:
    """The top bar: brand, navigation links and the sign-out button."""
    match = re.search(r"<header[^>]*>(.*?)</header>", page, re.S)
    assert match, "no <header>"
    return match.group(1)


def set_language(client: Client, language: str, next_url: str = "/"):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    return response


# --- Chinese first ------------------------------------------------------------------------------


def test_login_page_is_chinese_even_for_an_english_browser(db):
    page = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert lang_attr(page) == "zh-hans"
    assert "登录春风送温暖工作平台" in page and "用户名" in page and "密码" in page
    assert "Sign in" not in page and "Username" not in page


def test_home_page_is_chinese_even_for_an_english_browser(fed, login):
    client = login(fed.user("city", "admin"))
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert lang_attr(page) == "zh-hans"
    for word in NAV_ZH:
        assert word in nav(page)
    assert "管理员" in page and "Home" not in page


# --- switching ----------------------------------------------------------------------------------


def test_switching_to_english_translates_the_navigation(fed, login):
    client = login(fed.user("city", "admin"))
    response = set_language(client, "en", next_url="/")
    assert response.url == "/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")  # the chosen language wins
    page = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert lang_attr(page) == "en"
    menu = nav(page)
    for word in NAV_EN:
        assert word in menu
    for word in NAV_ZH:
        assert word not in menu
    assert "Spring Breeze" in page  # brand and <title>
    assert "Administrator" in page  # the role, a gettext_lazy model choice


def test_the_language_cookie_alone_selects_english(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/login/").content.decode()
    assert lang_attr(page) == "en"
    assert "Sign in to the Spring Breeze Warmth Campaign Platform" in page
    assert "Username" in page and "Password" in page
    assert "登录春风送温暖工作平台" not in page


def test_an_unknown_language_cookie_falls_back_to_chinese(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert lang_attr(page) == "zh-hans" and "登录春风送温暖工作平台" in page


def test_switching_back_restores_chinese(fed, login):
    client = login(fed.user("zs", "filler"))
    set_language(client, "en")
    assert "Home" in nav(client.get("/").content.decode())
    set_language(client, "zh-hans")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert lang_attr(page) == "zh-hans"
    menu = nav(page)
    assert "首页" in menu and "组织机构" in menu
    assert "Home" not in menu and "Organization" not in menu
    assert "填报员" in page


def test_english_pages_render_for_every_section(fed, login):
    """The main pages still render once English is active (a broken msgstr would show here)."""
    client = login(fed.user("city", "admin"))
    set_language(client, "en")
    campaign = fed.campaign.pk
    for url in ["/", "/campaigns/", f"/campaigns/{campaign}/", "/units/", "/users/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert lang_attr(response.content.decode()) == "en", url


def test_plural_forms_are_translated():
    with translation.override("en"):
        one = translation.ngettext("%(n)s 处错误", "%(n)s 处错误", 1) % {"n": 1}
        many = translation.ngettext("%(n)s 处错误", "%(n)s 处错误", 3) % {"n": 3}
    assert (one, many) == ("1 error", "3 errors")


# --- the catalogue ------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader for the files makemessages writes: entries are separated by blank
    lines; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    lineno = 0
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = Entry(line=lineno + 1), None
        for raw in block.splitlines():
            lineno += 1
            line = raw.strip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif not line or line.startswith("#"):
                continue
            elif line.startswith('"'):
                assert key is not None, f"{path}:{lineno}: continuation without a keyword"
                set_field(entry, key, ast.literal_eval(line), append=True)
            else:
                match = re.fullmatch(
                    r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line
                )
                assert match, f"{path}:{lineno}: cannot parse {raw!r}"
                key = (match.group(1), int(match.group(2) or 0))
                set_field(entry, key, ast.literal_eval(match.group(3)))
        lineno += 1  # the blank line between blocks
        if key is not None:
            entries.append(entry)
    return entries


def set_field(entry: Entry, key: tuple[str, int], value: str, append: bool = False) -> None:
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + value if append else value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value if append else value)


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: run makemessages -l en"
    entries = parse_po(PO)
    assert entries and entries[0].msgid == "", "the header entry comes first"
    return entries


def test_the_catalogue_has_many_entries(catalogue):
    assert len(catalogue) > 300
    assert "Language: en" in catalogue[0].msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in catalogue[0].msgstr[0]


def test_no_entry_is_fuzzy_or_untranslated(catalogue):
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert fuzzy == []
    untranslated = [
        e.msgid
        for e in catalogue[1:]
        if not e.msgstr or any(not s.strip() for s in e.msgstr.values())
    ]
    assert untranslated == []
    plurals = [e for e in catalogue if e.msgid_plural is not None]
    assert plurals and all(sorted(e.msgstr) == [0, 1] for e in plurals)


PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")


def test_placeholders_are_kept(catalogue):
    for e in catalogue[1:]:
        if "python-format" not in e.flags:
            continue
        wanted = sorted(PLACEHOLDER.findall(e.msgid))
        for index, text in e.msgstr.items():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (e.line, e.msgid, index, text)


def test_translations_are_english(catalogue):
    """No msgstr left in Chinese by mistake (example values quoted in parentheses may be)."""
    han = re.compile(r"[\u4e00-\u9fff]")
    for e in catalogue[1:]:
        for text in e.msgstr.values():
            assert han.search(text) is None or re.search(r"[A-Za-z]{3}", text), (e.line, text)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_msgfmt_counts_no_untranslated_or_fuzzy_entries():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages\.", stats), stats


def test_the_mo_is_compiled_from_the_current_po(catalogue):
    assert MO.exists(), f"{MO} is missing: run msgfmt"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected: dict = {}
    for e in catalogue[1:]:
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            expected[msgid] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(msgid, index)] = text
    compiled.pop("", None)
    assert compiled == expected, "django.mo is stale: run msgfmt again"


def test_the_mo_is_not_older_than_the_po():
    # A git checkout writes both files within moments of each other, hence the small slack.
    assert MO.stat().st_mtime >= PO.stat().st_mtime - 2, "django.mo is older than django.po"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_language_switch_names_each_language_in_itself(db, client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/login/").content.decode()
    switch = re.search(r'<select name="language".*?</select>', page, re.S).group(0)
    assert "简体中文" in switch and "English" in switch
    assert "英语" not in switch and "Simplified Chinese" not in switch


def test_the_favicon_is_served(db, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("chunfeng/favicon.svg")
    assert 'rel="icon"' in client.get("/login/").content.decode()
