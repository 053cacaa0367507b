"""The print layout (PDF): content as on the paper forms, the CJK font embedded, pages A4.

Checked through poppler-utils (pdftotext, pdffonts, pdftoppm), as a reader's viewer would see it.
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.sheets import pdf
from chunfeng.sheets.pdf import render_form_pdf

SAMPLE = {"count": "12", "wan": "1.2345", "yuan": "1234.50", "yesno": "是"}
HEADER = {"filler_name": "张三", "filler_phone": "0411-12345678", "fill_date": "2012年1月5日"}
FRAGMENTS = {
    "F1": [
        "当地职工总数12人，其中农民工总数12人。",
        "元旦、春节期间送温暖活动中",
        "筹集慰问款物总额1.2345万元；",
        "为12户困难职工家庭提供过冬取暖补贴1234.50元；",
        "帮助农民工购买车(船)票12张。",
        "安全生产监督检查12次，检查12企业，涉及职工12人。",
    ],
    "F2": [
        "目前，你地区县级以上困难职工帮扶中心12个，其中事业单位编制12个；",
        "资金是否纳入财政预算是(是/否)。",
        "2011年帮扶中心帮扶困难职工12人次。帮扶款物1.2345万元；",
        "经工会帮扶，脱困的困难职工家庭12户。",
        "工会共有职业介绍机构12个。",
    ],
}


def full_texts(definition) -> dict[str, str]:
    return {code: SAMPLE[blank.type] for code, blank in definition.blanks.items()}


def render(tmp_path: Path, code: str = "F1", name: str = "report", **kwargs) -> Path:
    kwargs.setdefault("definition", latest_builtin(code))
    kwargs.setdefault("unit_name", "大连市总工会")
    kwargs.setdefault("texts", full_texts(kwargs["definition"]))
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_form_pdf(**kwargs))
    return path


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def layout_text(path: Path) -> str:
    return run("pdftotext", "-layout", str(path), "-")


def squeezed(text: str) -> str:
    """The text without any whitespace: values sit in gaps padded with spaces."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_full_report_prints_the_paper_form(tmp_path, code):
    definition = latest_builtin(code)
    path = render(
        tmp_path, code, header=HEADER, campaign_name="2012年送温暖", generated_at="2012-01-05"
    )
    text = layout_text(path)
    flat = squeezed(text)

    assert definition.title in text
    assert "（汇总）" not in text
    assert f"{definition.attachment}：" in text
    assert "大连市总工会" in text
    for label in (h.label for h in definition.header if h.code != "date"):
        assert f"{label}：" in text
    assert "张三" in text and "0411-12345678" in text and "2012年1月5日" in text

    assert len(definition.items) == (13 if code == "F1" else 12)
    positions = [item_start(text, definition, item) for item in definition.items]
    assert positions == sorted(positions)  # every item number, as printed, in order

    for fragment in FRAGMENTS[code]:
        assert fragment in flat
    letters = {line.letter for item in definition.items for line in item.lines if line.letter}
    for letter in letters:
        assert f"({letter})" in text

    for note in definition.notes:
        assert note in flat
    if len(definition.notes) > 1:
        assert "注：1．" in flat and "2．" in flat
    else:
        assert "注：" + definition.notes[0] in flat

    assert "盖章" in text
    assert "单位负责人（签字）" in text
    assert "2012年送温暖" in text and "2012-01-05" in text
    pages = page_count(path)
    assert f"第1页共{pages}页" in flat and f"第{pages}页共{pages}页" in flat


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_the_cjk_font_is_embedded(tmp_path, code):
    path = render(tmp_path, code)
    rows = run("pdffonts", str(path)).splitlines()[2:]
    assert rows, "no fonts listed"
    assert any("WenQuanYi" in row for row in rows)
    for row in rows:  # name type encoding emb sub uni object-id
        assert row.split()[-5] == "yes", f"not embedded: {row}"
    assert "STSong" not in "\n".join(rows)
    assert b"/FontFile2" in path.read_bytes()


def item_start(text: str, definition, item) -> int:
    """Where the item's number (as printed) starts a line, followed by its first words."""
    first = item.lines[0]
    after = (
        item.intro[:4] if item.intro else f"({first.letter})" if first.letter else first.text[:4]
    )
    label = definition.item_label(item.number)
    found = re.search(rf"^\s*{re.escape(label)}\s+{re.escape(after)}", text, re.MULTILINE)
    assert found, f"item {label} not found"
    return found.start()


def page_count(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.MULTILINE).group(1))


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_pages_rasterise_as_a4_portrait(tmp_path, code):
    path = render(tmp_path, code)
    run("pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page"))
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) >= 1
    assert len(pngs) == page_count(path)
    for png in pngs:
        width, height = png_size(png)
        assert height / width == pytest.approx(2**0.5, abs=0.01)


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_summary_title_and_totals_line(tmp_path, code):
    definition = latest_builtin(code)
    text = layout_text(render(tmp_path, code, summary=True))
    assert f"{definition.title}（汇总）" in text
    assert "合计" in text
    assert "12" in text


def test_empty_texts_still_print_the_gaps(tmp_path):
    path = render(tmp_path, texts={}, unit_name="", header=None)
    text = layout_text(path)
    assert "送温暖工程统计表" in text
    # the sentence is printed whole, each blank an empty gap between the words around it
    assert re.search(r"当地职工总数\s{3,}人，其中农民工总数\s{3,}人。", text)
    assert re.search(r"为\s{3,}户困难职工家庭提供过冬取暖补贴\s{3,}元；", text)
    assert "填报日期：____年__月__日" in squeezed(text)
    assert not re.search(r"\d人", squeezed(text))
    assert page_count(path) >= 1


def test_an_empty_blank_is_an_underlined_gap():
    line = latest_builtin("F1").items[0].lines[0]
    markup = pdf._line_markup(line, {"01A": "1200"})
    assert markup.startswith("当地职工总数<u>")
    assert "1200" in markup
    empty_gap = markup.split("其中农民工总数", 1)[1]
    assert re.fullmatch(r"<u>(&nbsp;)+</u>人。", empty_gap)


def test_markup_characters_are_printed_not_interpreted(tmp_path):
    definition = latest_builtin("F1")
    texts = full_texts(definition) | {"01A": "<b>&amp;", "13.3": "1 < 2 & 3"}
    path = render(
        tmp_path,
        unit_name="A&B<工会>",
        texts=texts,
        header={"filler_name": "张<三>&", "filler_phone": "&nbsp;", "fill_date": ""},
        campaign_name="春风&<测试>",
    )
    text = layout_text(path)
    assert "A&B<工会>" in text
    assert "张<三>&" in text
    assert "&nbsp;" in text
    assert "<b>&amp;" in text
    assert "1 < 2 & 3" in text
    assert "春风&<测试>" in text


def test_missing_font_file_raises_with_install_hint(tmp_path, monkeypatch):
    missing = tmp_path / "no-such-font.ttc"
    monkeypatch.setenv("CHUNFENG_CJK_FONT", str(missing))
    with pytest.raises(RuntimeError) as info:
        render(tmp_path)
    message = str(info.value)
    assert "fonts-wqy-microhei" in message
    assert "请安装" in message and "Install" in message
    assert str(missing) in message


def test_a_file_that_is_not_a_font_raises_with_install_hint(tmp_path, monkeypatch):
    bogus = tmp_path / "bogus.ttc"
    bogus.write_text("not a font")
    monkeypatch.setenv("CHUNFENG_CJK_FONT", str(bogus))
    with pytest.raises(RuntimeError, match="fonts-wqy-microhei"):
        render(tmp_path)


def test_font_path_can_be_overridden_by_env(tmp_path, monkeypatch):
    link = tmp_path / "cjk.ttc"
    link.symlink_to(pdf.CJK_FONT_PATH)
    monkeypatch.setenv("CHUNFENG_CJK_FONT", str(link))
    assert pdf.cjk_font_path() == str(link)
    path = render(tmp_path)
    assert "送温暖工程统计表" in layout_text(path)


def test_default_font_path_is_the_debian_package_file(monkeypatch):
    monkeypatch.delenv("CHUNFENG_CJK_FONT", raising=False)
    assert pdf.cjk_font_path() == "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    assert Path(pdf.CJK_FONT_PATH).is_file()
