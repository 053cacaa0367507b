"""An import's fast path (``validation.quick_row``) against the one check of a household
(``clean_household``): on any row it either steps aside (None) or gives exactly what the import
would write after the full check, for a row the full check finds valid."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from chunfeng.core.idnumbers import check_digit
from chunfeng.register.bulk_insert import row_of
from chunfeng.register.validation import clean_household, quick_row


def token(number: str) -> str:
    return f"t:{number}"


def _id(first17: str) -> str:
    return first17 + check_digit(first17)


IDS = st.sampled_from(
    [
        _id("21020219800101123"),
        _id("21020220000229002"),
        _id("11010519491001001"),
        _id("21020219800101123").lower(),  # a lower-case x, if it ends in X
        "21020219800101123" + "0",  # a wrong check digit, most likely
        _id("21020219800101123")[:15],
        " " + _id("21020219800101123"),
        _id("99020219800101123"),  # no such province
        _id("21020219000229123"),  # no 29 February in 1900
        210202198001011234,
        "",
        None,
    ]
)
TEXTS = st.one_of(
    st.sampled_from(["", "张三", " 张三 ", "大连造船厂", "13800000000", "6222 0234", "X" * 65]),
    st.text(max_size=40),
    st.none(),
    st.integers(),
)
FLAGS = st.sampled_from(["是", "否", "", "Y", "yes", "√", "×", " 是", "也许", None, True, False])
CATEGORIES = st.sampled_from(["B", "C", "D", "b", " C", "A", "低于当地最低生活保障线", "", None])
SIZES = st.sampled_from(["", "1", "3", "30", "31", "0", "06", "３", "³", "①", "3.0", " 3", None, 3])
AMOUNTS = st.one_of(
    st.sampled_from(["", "650", "650.5", "0650.125", "1,200", "800元", "1e3", "-1", "NaN"]),
    st.sampled_from(["9999999999.99", "10000000000", " 650", "650.", ".5", "１２", None, 650]),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
PLAIN = {
    "id_number": _id("21020219800101123"),
    "name": "张三",
    "category": "C",
    "family_size": "3",
    "income": "650.5",
    "is_migrant": "是",
    "phone": "13800000000",
    "employer": "大连造船厂",
}


PLAIN_VALUES = {
    "id_number": st.sampled_from([_id("21020219800101123"), _id("11010519491001001")]),
    "name": st.sampled_from(["张三", "欧阳娜娜", "A" * 64]),
    "category": st.sampled_from(["B", "C", "D", "低于当地最低生活保障线"]),
    "family_size": st.sampled_from(["", "1", "3", "30"]),
    "income": st.sampled_from(["", "650", "650.5", "0.125", "9999999999.99"]),
    "is_migrant": st.sampled_from(["是", "否", ""]),
    "phone": st.sampled_from(["", "13800000000", "0411-8888 8888"]),
    "employer": st.sampled_from(["", "大连造船厂", "厂" * 128]),
    "bank_account": st.sampled_from(["", "6222023400000016", "6" * 32]),
    "is_model_worker": st.sampled_from(["是", "否", ""]),
    "is_laid_off": st.sampled_from(["是", "否", ""]),
    "causes": st.sampled_from([[], None]),
}
ODD_VALUES = {
    "id_number": IDS,
    "name": st.one_of(TEXTS, st.just("A" * 65)),
    "category": CATEGORIES,
    "family_size": SIZES,
    "income": AMOUNTS,
    "is_migrant": FLAGS,
    "phone": st.one_of(TEXTS, st.just("1" * 33)),
    "employer": st.one_of(TEXTS, st.just("厂" * 129)),
    "bank_account": st.one_of(TEXTS, st.just("6" * 33), st.just(" 6222")),
    "is_model_worker": FLAGS,
    "is_laid_off": FLAGS,
    "causes": st.sampled_from([["illness"], ["nonsense"], "illness"]),
}


@st.composite
def rows(draw):
    """A row of plain values (nearly every row of a list) with up to two of them odd, and
    some of the columns that an import need not have left out."""
    data = {key: draw(values) for key, values in PLAIN_VALUES.items()}
    for key in draw(st.lists(st.sampled_from(sorted(ODD_VALUES)), max_size=2)):
        data[key] = draw(ODD_VALUES[key])
    for key in draw(st.sets(st.sampled_from(["phone", "employer", "bank_account", "causes"]))):
        del data[key]
    return data


@settings(max_examples=3000, deadline=None)
@given(rows())
@example(PLAIN)
@example(PLAIN | {"income": "", "family_size": "", "is_migrant": "", "category": "困难"})
@example(PLAIN | {"category": "低于当地最低生活保障线", "bank_account": "62220234"})
def test_the_fast_path_gives_what_the_full_check_gives_or_steps_aside(data):
    fast = quick_row(data, token)
    if fast is None:
        return
    fields, problems = clean_household(data)
    assert problems == []
    assert fast == row_of(fields, token)


def test_a_plain_row_takes_the_fast_path():
    """The rows of a filled list do (else the test above would prove nothing)."""
    plain = [
        PLAIN,
        PLAIN | {"income": "", "family_size": ""},
        PLAIN | {"category": "低于当地最低生活保障线", "is_migrant": "否", "is_laid_off": "是"},
        {"id_number": _id("11010519491001001"), "name": "李四", "category": "D"},
    ]
    for data in plain:
        fast = quick_row(data, token)
        assert fast == row_of(clean_household(data)[0], token), data


def test_a_digit_that_is_no_decimal_digit_is_an_error_not_a_crash():
    """``"³".isdigit()`` is true, but ``int("³")`` fails: a family size is read as a decimal."""
    for size in ("³", "①"):
        fields, problems = clean_household(PLAIN | {"family_size": size})
        assert [field for field, _message in problems] == ["family_size"]
        assert quick_row(PLAIN | {"family_size": size}, token) is None
