"""Resident identity numbers (GB 11643-1999): validation, the ISO 7064 MOD 11-2 check digit,
conversion of 15-digit legacy numbers, and the birth date and gender they carry. Masking is
``chunfeng.core.personal.mask_id``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from .personal import mask, mask_id

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260 (the first two digits of the region code).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
}  # fmt: skip


class InvalidIdNumber(ValueError):
    """``str(exc)`` is a Chinese sentence saying what is wrong."""


@dataclass(frozen=True)
class IdNumber:
    number: str  # always the 18-digit form
    birth_date: dt.date
    gender: str  # "M" or "F"


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def upgrade15(number: str) -> str:
    """A 15-digit legacy number (born 19yy) as its 18-digit equivalent."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_digit(first17)


def _shown(raw) -> str:
    """What a message may repeat of the number typed: masked, like every personal number
    (contract (a)) — the messages reach pages, API answers, job results and logs."""
    text = str(raw or "").strip()
    return mask_id(text) if len(text) == 18 else mask(text)


def parse_id(raw, *, today: dt.date | None = None) -> IdNumber:
    text = _text(raw)
    if re.fullmatch(r"\d{15}", text):
        text = upgrade15(text)
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise InvalidIdNumber(f"身份证号码“{_shown(raw)}”应为 18 位（最后一位可为 X）或 15 位数字")
    if text[:2] not in PROVINCES or text[2:6] == "0000":
        raise InvalidIdNumber(f"身份证号码“{_shown(raw)}”的地区码 {text[:6]} 无效")
    birth = _birth(text, raw, today or dt.date.today())
    if check_digit(text[:17]) != text[17]:
        if text.endswith("000"):
            raise InvalidIdNumber(
                f"身份证号码“{_shown(raw)}”末三位是 000 且校验位不符：很可能被 Excel 当成数字，"
                "后三位已经丢失。请把这一列设置为“文本”格式后重新输入"
            )
        raise InvalidIdNumber(f"身份证号码“{_shown(raw)}”的校验位不正确（可能有数字录错）")
    return IdNumber(number=text, birth_date=birth, gender="M" if int(text[16]) % 2 else "F")


def _text(raw) -> str:
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        raise InvalidIdNumber(
            f"身份证号码被 Excel 当成了数字（{mask(repr(raw))}），后几位可能已经丢失。"
            "请把这一列设置为“文本”格式后重新输入或粘贴号码"
        )
    text = str(raw or "").strip().upper().replace(" ", "")
    if re.fullmatch(r"\d(\.\d+)?E\+\d+", text):
        raise InvalidIdNumber(
            f"身份证号码显示为科学计数法（{mask(text)}），号码已被 Excel 截断。请把这一列设置为“文本”格式"
        )
    return text


def _birth(text: str, raw, today: dt.date) -> dt.date:
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            f"身份证号码“{_shown(raw)}”中的出生日期 {text[6:14]} 不存在"
        ) from None
    if birth < dt.date(1900, 1, 1) or birth > today:
        raise InvalidIdNumber(f"身份证号码“{_shown(raw)}”中的出生日期 {birth} 不合理")
    return birth


def clean_uscc(raw: str) -> str:
    """A unified social credit code (GB 32100-2015) as stored, or ValueError saying what is
    wrong; the check character by python-stdnum's ``cn.uscc``. An enterprise's code is public
    (it is printed on its business licence), so messages repeat it."""
    text = uscc.compact(str(raw or ""))
    try:
        uscc.validate(text)
    except InvalidChecksum:
        raise ValueError(
            _("统一社会信用代码“%(raw)s”的校验码不正确（可能有字符录错）") % {"raw": raw}
        ) from None
    except ValidationError:
        raise ValueError(
            f"统一社会信用代码“{raw}”应为 18 位数字或大写字母（不含 I、O、S、V、Z）"
        ) from None
    return text
