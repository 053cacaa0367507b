"""Typed values of blanks: parse what a user typed, refuse bad input naming the blank."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .schema import Blank, FormDefinition

Value = int | Decimal | bool | None

# Upper bounds beyond which a figure is taken as a typing error, per type.
MAX_COUNT = 10**9
MAX_WAN = Decimal(10**8)  # 1 万亿元
MAX_YUAN = Decimal(10**12)
DECIMALS = {"wan": 4, "yuan": 2}
# Plain digits with an optional fraction; thousands separators only in groups of three.
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")
_YES = {"是", "yes", "y", "true", "1", "√"}
_NO = {"否", "no", "n", "false", "0", "×"}


@dataclass(frozen=True)
class FieldError:
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.code, "message": self.message}


class BadValue(ValueError):
    pass


def parse_value(blank: Blank, raw) -> Value:
    """One raw input (str, number, bool or None) to the blank's type; ``BadValue`` if invalid."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if blank.type == "yesno":
        return _parse_yesno(raw)
    if isinstance(raw, bool):
        raise BadValue(_("应填数字"))
    number = _to_decimal(raw)
    if not number.is_finite():
        raise BadValue(_("“%(value)s”不是数字") % {"value": raw})
    if number < 0:
        raise BadValue(_("不能为负数"))
    return _parse_count(number) if blank.type == "count" else _parse_money(blank, number)


def _to_decimal(raw) -> Decimal:
    """Numbers from JSON arrive as int/Decimal; typed text must look like a plain number."""
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not _NUMBER.fullmatch(text):
        raise BadValue(_("“%(value)s”不是数字") % {"value": raw})
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise BadValue(_("“%(value)s”不是数字") % {"value": raw}) from None


def _parse_yesno(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = unicodedata.normalize("NFKC", str(raw)).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadValue(_("“%(value)s”不是“是”或“否”") % {"value": raw})


def _parse_count(number: Decimal) -> int:
    if number != number.to_integral_value():
        raise BadValue(_("应填整数（人数、户数等不能有小数）"))
    if number > MAX_COUNT:
        raise BadValue(_("数值过大（超过 %(limit)s），请核实") % {"limit": f"{MAX_COUNT:,}"})
    return int(number)


def _parse_money(blank: Blank, number: Decimal) -> Decimal:
    places = DECIMALS[blank.type]
    if not _fits(number, places):
        raise BadValue(
            _("%(unit)s最多保留 %(places)s 位小数") % {"unit": blank.unit, "places": places}
        )
    limit = MAX_WAN if blank.type == "wan" else MAX_YUAN
    if number > limit:
        raise BadValue(
            _("数值过大（超过 %(limit)s %(unit)s），请核实")
            % {"limit": f"{limit:,}", "unit": blank.unit}
        )
    return number.quantize(Decimal(1).scaleb(-places))


def _fits(number: Decimal, places: int) -> bool:
    """No non-zero digit beyond ``places`` decimals (exact: no rounding context involved)."""
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number (parse_value refused the others)
    if exponent >= -places:
        return True
    digits = number.as_tuple().digits
    return not any(digits[len(digits) + exponent + places :])


def parse_values(
    definition: FormDefinition, raw: dict
) -> tuple[dict[str, Value], list[FieldError]]:
    """Parse a whole submission. Unknown codes and bad values become errors naming the blank."""
    values: dict[str, Value] = {}
    errors: list[FieldError] = []
    for code, raw_value in raw.items():
        blank = definition.blanks.get(code)
        if blank is None:
            errors.append(FieldError(code, f"{code}：表“{definition.title}”中没有这个填报项"))
            continue
        try:
            values[code] = parse_value(blank, raw_value)
        except BadValue as exc:
            errors.append(FieldError(code, f"{code} {blank.label}：{exc}"))
    return values, errors


def format_value(blank: Blank, value: Value) -> str:
    """The canonical text of a value, as shown in inputs and returned by the API."""
    if value is None:
        return ""
    if blank.type == "yesno":
        return "是" if value else "否"
    if blank.type == "count":
        return str(int(value))
    return str(Decimal(value).quantize(Decimal(1).scaleb(-DECIMALS[blank.type])))


def to_number(value: Value) -> Decimal:
    """A value as a number for the checks and the database; empty is 0."""
    if value is None:
        return Decimal(0)
    if isinstance(value, bool):
        return Decimal(int(value))
    return Decimal(value)
