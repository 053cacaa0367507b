"""The two built-in definitions against the seed notice (大工办发[2011]49号, 附件1 and 附件2).

The expected (code, unit) lists below were written by reading the seed text, not the YAML: on the
paper form a blank is a run of spaces followed by its unit. Runs of spaces in the middle of a word
(``困           难``) or right after a ``户;``/``户，`` are line-wrapping artefacts, not blanks.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from chunfeng.formdefs.expressions import REF
from chunfeng.formdefs.loader import expected_code, form_definitions, latest_builtin

from ._support import form

SEED = Path(__file__).parent / "data" / "seed_attachments.txt"

F1_EXPECTED = [
    # 01
    ("01A", "人"), ("01A.2", "人"),
    # 02
    ("02A", "人"), ("02A.2", "人"),
    # 03
    ("03A", "户"), ("03A.2", "户"), ("03B", "户"), ("03C", "户"), ("03D", "户"), ("03E", "户"),
    # 04
    ("04A", "家"), ("04A.2", "户"), ("04B", "家"),
    ("04C", "户"), ("04C.2", "户"), ("04C.3", "户"), ("04C.4", "户"),
    # 05
    ("05A", "万元"), ("05B", "万元"), ("05C", "万元"), ("05D", "万元"), ("05E", "万元"),
    # 06
    ("06A", "万元"), ("06B", "万元"), ("06C", "万元"),
    # 07
    ("07A", "人次"), ("07B", "人次"), ("07C", "个"), ("07D", "人次"), ("07E", "人次"),
    ("07F", "人次"), ("07G", "人次"), ("07H", "人次"), ("07I", "户"), ("07I.2", "元"),
    ("07J", "对"),
    # 08
    ("08A", "名"), ("08A.2", "人"), ("08B", "人次"), ("08B.2", "人次"),
    ("08C", "名"), ("08C.2", "万元"), ("08C.3", "名"), ("08C.4", "万元"),
    # 09 (the first line has no letter)
    ("09", "人次"), ("09.2", "人次"),
    ("09A", "人次"), ("09A.2", "人次"),
    ("09B", "人次"), ("09B.2", "人次"), ("09B.3", "场"), ("09B.4", "场"), ("09B.5", "幅"),
    ("09B.6", "幅"),
    ("09C", "人次"), ("09C.2", "人次"),
    ("09D", "人次"), ("09D.2", "人次"),
    # 10
    ("10A", "人次"), ("10B", "列"), ("10B.2", "人次"), ("10C", "节"), ("10C.2", "人次"),
    ("10D", "辆"), ("10D.2", "人次"), ("10E", "艘"), ("10E.2", "人次"), ("10F", "架"),
    ("10F.2", "人次"), ("10G", "张"),
    # 11
    ("11A", "万元"),
    # 12, 13 (no letter)
    ("12", "支"), ("12.2", "人（次）"), ("12.3", "件"),
    ("13", "次"), ("13.2", "企业"), ("13.3", "人"),
]  # fmt: skip

F2_EXPECTED = [
    # (01)
    ("01A", "个"), ("01A.2", "个"), ("01B", "个"), ("01B.2", "个"),
    ("01C", "个"), ("01C.2", "个"), ("01D", "个"), ("01D.2", "个"),
    # (02)
    ("02A", "人"), ("02B", "人"), ("02C", "人"), ("02D", "人"),
    # (03)
    ("03A", "个"), ("03B", "个"), ("03C", "个"),
    # (04)
    ("04A", "万元"), ("04B", "万元"), ("04C", "万元"), ("04D", "万元"), ("04E", "万元"),
    ("04F", "万元"),
    # (05)
    ("05A", "万元"), ("05B", "(是/否)"),
    # (06)
    ("06A", "个"), ("06B", "万元"), ("06C", "个"),
    # (07) — "金额合计" continues line (A)
    ("07A", "个"), ("07A.2", "万元"), ("07B", "个"),
    # (08)
    ("08A", "人次"), ("08A.2", "万元"), ("08B", "人次"), ("08B.2", "万元"),
    ("08C", "人次"), ("08C.2", "万元"), ("08D", "人次"), ("08D.2", "万元"),
    ("08E", "人次"), ("08E.2", "万元"), ("08F", "人次"), ("08F.2", "万元"),
    ("08G", "人次"), ("08G.2", "万元"), ("08H", "人次"), ("08H.2", "万元"),
    ("08I", "人次"), ("08I.2", "万元"), ("08J", "人次"), ("08J.2", "万元"),
    ("08K", "户"),
    # (09)
    ("09A", "人次"), ("09A.2", "万元"), ("09B", "人次"), ("09B.2", "万元"),
    ("09C", "人次"), ("09C.2", "万元"), ("09D", "人次"), ("09D.2", "万元"),
    ("09E", "人次"), ("09E.2", "万元"), ("09F", "人次"), ("09F.2", "万元"),
    ("09G", "人次"), ("09G.2", "万元"), ("09H", "人次"), ("09H.2", "万元"),
    ("09I", "人次"), ("09I.2", "万元"), ("09J", "人次"), ("09J.2", "万元"),
    # (10)
    ("10A", "人次"), ("10A.2", "人次"), ("10B", "人次"), ("10B.2", "人次"),
    ("10C", "人、次"),
    ("10D", "件"), ("10D.2", "人"), ("10D.3", "万元"),
    # (11)
    ("11A", "万元"), ("11A.2", "万元"),
    # (12) — the paper form has no (G): F is followed by H
    ("12A", "个"), ("12B", "个"), ("12C", "个"), ("12D", "个"), ("12E", "个"), ("12F", "个"),
    ("12H", "个"),
]  # fmt: skip

EXPECTED = {"F1": F1_EXPECTED, "F2": F2_EXPECTED}


def expected_type(unit: str) -> str:
    return {"万元": "wan", "元": "yuan", "(是/否)": "yesno"}.get(unit, "count")


# --- loading -------------------------------------------------------------------------------


def test_both_forms_load():
    assert set(form_definitions()) == {("F1", 1), ("F2", 1), ("F1", 2), ("F2", 2)}
    assert latest_builtin("F1") is form_definitions()[("F1", 2)]
    assert latest_builtin("F2") is form_definitions()[("F2", 2)]
    with pytest.raises(KeyError):
        latest_builtin("F3")


@pytest.mark.parametrize(
    "code, title, attachment, style",
    [
        ("F1", "送温暖工程统计表", "附件1", "plain"),
        ("F2", "困难职工帮扶中心统计表", "附件2", "paren"),
    ],
)
def test_titles_and_attachments(code, title, attachment, style):
    definition = form(code)
    assert definition.title == title
    assert definition.attachment == attachment
    assert definition.number_style == style
    assert definition.version == 1


def test_item_labels_follow_number_style():
    assert form("F1").item_label("01") == "01"
    assert form("F2").item_label("01") == "(01)"


@pytest.mark.parametrize("code, n", [("F1", 77), ("F2", 87)])
def test_blank_counts(code, n):
    assert len(EXPECTED[code]) == n  # the hand-written lists themselves
    assert len(form(code).blanks) == n


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_blanks_codes_and_units_match_seed(code):
    actual = [(b.code, b.unit) for b in form(code).blanks.values()]
    assert actual == EXPECTED[code]


@pytest.mark.parametrize(
    "code, blank, unit",
    [
        ("F1", "01A", "人"),
        ("F1", "01A.2", "人"),
        ("F1", "07I", "户"),
        ("F1", "07I.2", "元"),
        ("F1", "09B.3", "场"),
        ("F1", "12.2", "人（次）"),
        ("F1", "13.2", "企业"),
        ("F2", "05B", "(是/否)"),
        ("F2", "10C", "人、次"),
        ("F2", "12H", "个"),
    ],
)
def test_spot_units(code, blank, unit):
    assert form(code).blanks[blank].unit == unit


def test_f2_item_12_keeps_printed_letters():
    blanks = form("F2").blanks
    assert "12H" in blanks
    assert "12G" not in blanks
    assert [line.letter for line in form("F2").items[-1].lines] == list("ABCDEFH")


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_types_follow_units(code):
    for blank in form(code).blanks.values():
        assert blank.type == expected_type(blank.unit), blank.code


def test_only_yesno_blank_is_f2_05b():
    assert [b.code for b in form("F1").blanks.values() if b.type == "yesno"] == []
    assert [b.code for b in form("F2").blanks.values() if b.type == "yesno"] == ["05B"]


def test_only_yuan_blank_is_f1_07i2():
    yuan = [(f, b.code) for f in ("F1", "F2") for b in form(f).blanks.values() if b.type == "yuan"]
    assert yuan == [("F1", "07I.2")]


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_codes_follow_the_rule(code):
    definition = form(code)
    for item in definition.items:
        for line in item.lines:
            expected = [expected_code(item.number, line.letter, n) for n in range(1, 99)]
            assert list(line.blanks) == expected[: len(line.blanks)]
            for blank_code in line.blanks:
                blank = definition.blanks[blank_code]
                assert (blank.item, blank.letter) == (item.number, line.letter)


def test_expected_code_rule():
    assert expected_code("01", "A", 1) == "01A"
    assert expected_code("01", "A", 2) == "01A.2"
    assert expected_code("09", "", 1) == "09"
    assert expected_code("12", "", 3) == "12.3"


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_every_blank_has_a_label_and_appears_once_in_the_text(code):
    definition = form(code)
    in_text = [
        c for item in definition.items for line in item.lines for c in REF.findall(line.text)
    ]
    assert in_text == list(definition.blanks)
    for blank in definition.blanks.values():
        assert blank.label


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_segments_rebuild_the_line(code):
    for item in form(code).items:
        for line in item.lines:
            rebuilt = "".join(
                s.text if s.blank is None else "{" + s.blank + "}" for s in line.segments
            )
            assert rebuilt == line.text
            assert tuple(s.blank for s in line.segments if s.blank) == line.blanks


# --- wording against the seed ----------------------------------------------------------------

# Obvious typos of the seed that the transcription corrects on purpose.
SEED_ERRATA = {
    "0l": "01",  # item 01 of 附件1 is printed with a letter l
    "己经": "已经",  # 03A
    "久薪": "欠薪",  # 08C
    "财预算": "财政预算",  # 附件2 06C
}
_PUNCTUATION = set(",，;；:：.。、()（）“”\"'!！?？")


def _normalize(text: str, errata: bool = False) -> str:
    text = unicodedata.normalize("NFKC", text)
    if errata:
        for wrong, right in SEED_ERRATA.items():
            text = text.replace(wrong, right)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _PUNCTUATION).upper()


def _seed_section(code: str) -> str:
    text = SEED.read_text(encoding="utf-8")
    split = text.index("附件2")
    return text[:split] if code == "F1" else text[split:]


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_wording_letters_and_order_match_the_seed(code):
    """Numbers, intros, letters and text of every line, in order, equal the printed form body
    (whitespace — hence the blanks — and punctuation ignored)."""
    seed = _normalize(_seed_section(code), errata=True)
    body = seed[seed.index("联系电话") + len("联系电话") : seed.index("注")]
    ours = "".join(
        _normalize(
            item.number
            + item.intro
            + "".join(line.letter + REF.sub("", line.text) for line in item.lines)
        )
        for item in form(code).items
    )
    assert ours == body


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_title_in_seed(code):
    assert form(code).title in _seed_section(code)


@pytest.mark.parametrize(
    "code, labels",
    [
        ("F1", ["填报单位", "填报日期", "填报人", "联系电话"]),
        ("F2", ["填表单位", "填表日期", "填表人", "联系电话"]),
    ],
)
def test_header(code, labels):
    header = form(code).header
    assert [h.label for h in header] == labels
    assert [h.code for h in header] == ["unit", "date", "filler", "phone"]


@pytest.mark.parametrize(
    "code, notes",
    [
        ("F1", ["本表中职工均包括农民工，困难职工均包括困难农民工。"]),
        ("F2", ["以上统计数据截止2011年12月31日;", "职工均包括农民工，困难职工均包括困难农民工。"]),
    ],
)
def test_notes(code, notes):
    actual = form(code).notes
    assert [unicodedata.normalize("NFKC", n) for n in actual] == [
        unicodedata.normalize("NFKC", n) for n in notes
    ]
    seed = _normalize(_seed_section(code))
    for note in actual:
        assert _normalize(note) in seed


def test_f1_intros():
    intros = {item.number: item.intro for item in form("F1").items}
    for number in ("04", "05", "06", "07", "08"):
        assert intros[number] == "元旦、春节期间送温暖活动中"
    assert (
        form("F1").items[8].lines[0].text.startswith("元旦、春节期间送温暖活动中为职工提供各项服务")
    )


@pytest.mark.parametrize("code, n", [("F1", 53), ("F2", 50)])
def test_check_counts_and_unique_ids(code, n):
    ids = [c.id for c in form(code).checks]
    assert len(ids) == n
    assert len(set(ids)) == n
    assert all(i.startswith(code + "-") for i in ids)


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_check_messages_are_chinese_sentences(code):
    for check in form(code).checks:
        assert check.message.endswith("。"), check.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in check.message), check.id
        assert "v_" not in check.message, check.id
        assert any(f in check.message for f in check.fields), check.id


@pytest.mark.parametrize("code", ["F1", "F2"])
def test_to_json_shape(code):
    data = form(code).to_json()
    assert data["code"] == code
    assert [f["code"] for f in data["fields"]] == [c for c, _ in EXPECTED[code]]
    assert len(data["checks"]) == len(form(code).checks)
    assert data["notes"] == list(form(code).notes)
