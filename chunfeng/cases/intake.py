"""What a case is made of, read and checked the same way from the intake page, the API and the
workers' public page: every problem named by its field (the first one in the message)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from chunfeng.core.errors import ApplicationError
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import search_token

from .models import Category, Difficulty, RequestType, Source, is_rights_case
from .routing import clean_region, clean_uscc, crosses_regions

NEW_GENERATION_FROM = 1980  # 新生代农民工: born in 1980 or later
PHONE = re.compile(r"(1[3-9]\d{9})|(0\d{9,11})|(\d{7,8})")
MAX_AMOUNT = Decimal("999999999999.99")
TEXT_FIELDS = {"caller_name": 64, "employer": 128, "description": 4000}


def field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid", details=[{"field": field, "message": message}])


def clean_phone(raw) -> str:
    text = re.sub(r"[\s()-]", "", str(raw or ""))
    if not PHONE.fullmatch(text):
        raise ValueError(_("联系电话“%(raw)s”应为 11 位手机号码或带区号的固定电话") % {"raw": raw})
    return text


def is_mobile(number: str) -> bool:
    return bool(re.fullmatch(r"1[3-9]\d{9}", number or ""))


def clean_money(raw, label: str) -> Decimal:
    text = str(raw if raw not in (None, "") else "0").strip().replace(",", "").removesuffix("元")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(label)s“%(raw)s”不是数字") % {"label": label, "raw": raw}) from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise ValueError(_("%(label)s应为不小于 0 的金额（元）") % {"label": label})
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(_("%(label)s“%(raw)s”最多保留两位小数") % {"label": label, "raw": raw})
    return value.quantize(Decimal("0.01"))


def _count(raw, label: str, minimum: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValueError(_("%(label)s应为整数") % {"label": label}) from None
    if value < minimum or value > 100000:
        raise ValueError(
            _("%(label)s应在 %(minimum)s～100000 之间") % {"label": label, "minimum": minimum}
        )
    return value


def _choice(raw, choices, label: str, default=None) -> str:
    text = str(raw or "").strip()
    if not text and default is not None:
        return default
    by_label = {str(lbl): value for value, lbl in choices.choices}
    if text in choices.values:
        return text
    if text in by_label:
        return by_label[text]
    raise ValueError(
        _("%(label)s只能是：%(items)s") % {"label": label, "items": "、".join(by_label)}
    )


def _bool(raw) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "yes", "on", "是")
    return bool(raw)


class _Reader:
    """Collects every problem of one reading, by field."""

    def __init__(self, data: dict):
        self.data = data
        self.problems: list[tuple[str, str]] = []
        self.fields: dict[str, object] = {}

    def take(self, name: str, read, *, required: bool = False) -> None:
        if name not in self.data and not required:
            return
        try:
            self.fields[name] = read(self.data.get(name))
        except ValueError as exc:
            self.problems.append((name, str(exc)))


def clean_case(data: dict, *, partial: bool = False) -> dict:
    """The model fields of a case from ``data``. With ``partial`` only the given keys are
    read (an update); the derived fields follow from what is given and ``data``'s rest."""
    r = _Reader(data)
    for name, size in TEXT_FIELDS.items():
        r.take(name, lambda v, size=size: str(v or "").strip()[:size])
    r.take("caller_phone", clean_phone, required=not partial)
    r.take("request_type", lambda v: _choice(v, RequestType, "诉求类型"), required=not partial)
    r.take("category", lambda v: _choice(v, Category, "诉求类别"), required=not partial)
    r.take("source", lambda v: _choice(v, Source, "来源", Source.HOTLINE))
    r.take("difficulty", lambda v: _choice(v, Difficulty, "难度", Difficulty.GENERAL))
    r.take("caller_id_number", lambda v: parse_id(v).number if str(v or "").strip() else "")
    r.take("caller_birth_year", _birth_year)
    r.take("caller_is_migrant", _bool)
    r.take("cross_region", _bool)
    r.take("employer_code", lambda v: clean_uscc(v) if str(v or "").strip() else "")
    r.take("region", clean_region)
    r.take("workers", lambda v: _count(v if v not in (None, "") else 1, "涉及职工人数", 1))
    r.take("migrants", lambda v: _count(v if v not in (None, "") else 0, "其中农民工人数", 0))
    r.take("amount_involved", lambda v: clean_money(v, "涉及金额"))
    for name in ("caller_name", "description"):
        if not partial or name in data:
            if not r.fields.get(name):
                label = "来电人姓名" if name == "caller_name" else "诉求内容"
                r.problems.append((name, f"请填写{label}"))
    if r.problems:
        raise ApplicationError(
            r.problems[0][1],
            code="invalid",
            details=[{"field": f, "message": m} for f, m in r.problems],
        )
    return r.fields


def _birth_year(raw) -> int | None:
    if raw in (None, ""):
        return None
    return _count(raw, "出生年份", 1900)


def derive(fields: dict) -> dict:
    """The fields that follow from the others (given the case's complete fields): the birth
    year from an ID number, 新生代, rights, tokens, migrants, 跨地区."""
    out = dict(fields)
    number = out.get("caller_id_number") or ""
    if number:
        try:
            out["caller_birth_year"] = parse_id(number).birth_date.year
        except InvalidIdNumber:
            pass
    year = out.get("caller_birth_year")
    if not out.get("caller_is_migrant"):
        out["caller_new_generation"] = False
    else:
        out["caller_new_generation"] = None if year is None else year >= NEW_GENERATION_FROM
        if not out.get("migrants"):
            out["migrants"] = 1
    if out.get("migrants", 0) > out.get("workers", 1):
        raise field_error("migrants", "其中农民工人数不能大于涉及职工人数")
    out["involves_migrants"] = out.get("migrants", 0) > 0
    out["is_rights"] = is_rights_case(out["category"], out["request_type"])
    out["phone_token"] = search_token("phone", out["caller_phone"])
    out["id_token"] = search_token("id", number) if number else ""
    if crosses_regions(out.get("region", ""), out.get("employer_code", "")):
        out["cross_region"] = True
    return out
