"""What the funds pages, files and API accept as amounts, dates and choices: one reading for
all of them, each refusal in Chinese naming what is wrong."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from chunfeng.core.errors import ApplicationError

MAX_LINE_AMOUNT = Decimal("9999999999.99")  # PaymentLine.amount: 12 digits, 2 decimals
MAX_RECEIPT_AMOUNT = Decimal("999999999999.99")  # Receipt.amount: 14 digits, 2 decimals


def invalid(field_name: str, message: str):
    raise ApplicationError(
        message, code="invalid", details=[{"field": field_name, "message": message}]
    )


def parse_amount(raw, *, maximum: Decimal = MAX_LINE_AMOUNT, label: str = "金额") -> Decimal:
    """Yuan with at most two decimals (fen), more than zero: "1,200.50", "300", 300.5."""
    if isinstance(raw, float):
        raw = repr(raw)
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    text = text.removesuffix("元").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(label)s“%(raw)s”不是数字") % {"label": label, "raw": raw}) from None
    if not value.is_finite():
        raise ValueError(_("%(label)s“%(raw)s”不是数字") % {"label": label, "raw": raw})
    if value <= 0:
        raise ValueError(_("%(label)s应大于 0") % {"label": label})
    if value > maximum:  # before quantize, which cannot hold the digits of 1E+87
        raise ValueError(_("%(label)s“%(raw)s”过大") % {"label": label, "raw": raw})
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(
            _("%(label)s“%(raw)s”最多保留两位小数（元、角、分）") % {"label": label, "raw": raw}
        )
    return value.quantize(Decimal("0.01"))


_DATE_PATTERNS = (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{4})/(\d{1,2})/(\d{1,2})",
                  r"(\d{4})\.(\d{1,2})\.(\d{1,2})", r"(\d{4})年(\d{1,2})月(\d{1,2})日?",
                  r"(\d{4})(\d{2})(\d{2})")  # fmt: skip


def parse_date(raw, *, label: str = "日期") -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 20000 < raw < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))  # an Excel serial date
    text = str(raw or "").strip()
    if not text:
        raise ValueError(_("%(label)s不能为空") % {"label": label})
    text = text.split(" ")[0] if re.match(r"\d{4}-\d{1,2}-\d{1,2} ", text) else text
    for pattern in _DATE_PATTERNS:
        m = re.fullmatch(pattern, text)
        if m:
            try:
                return dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                break
    raise ValueError(
        _("%(label)s“%(raw)s”无效，应写成 2012-01-05 的形式") % {"label": label, "raw": raw}
    )


def checked(field_name: str, parse, *args, **kwargs):
    """``parse(*args, **kwargs)``, its ValueError as an ApplicationError on ``field_name``."""
    try:
        return parse(*args, **kwargs)
    except ValueError as exc:
        invalid(field_name, str(exc))


def choice(raw, choices, label: str, default=None) -> str:
    text = str(raw or "").strip()
    if not text and default is not None:
        return default
    for choice in choices:
        if text in (choice.value, str(choice.label)):
            return choice.value
    names = "、".join(str(c.label) for c in choices)
    raise ValueError(
        _("%(label)s“%(text)s”无效，应为 %(names)s 之一")
        % {"label": label, "text": text, "names": names}
    )


def clip(raw, limit: int) -> str:
    return str(raw if raw is not None else "").strip()[:limit]
