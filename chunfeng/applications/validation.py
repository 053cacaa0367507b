"""The one check of an application's fields (page, API, public page, import): every problem
is found and named by its field; the family's income gives the per-capita figure and the
category proposal against the standard in force."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from chunfeng.core.errors import ApplicationError
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id

from .standards import check_choice, per_capita, standard_for

REGION = re.compile(r"\d{6}")
BANK = re.compile(r"\d{12,19}")
MAX_AMOUNT = Decimal("9999999.99")
TEXT = {  # field → (max length, label, required)
    "name": (64, "姓名", True),
    "address": (200, "详细地址", True),
    "street": (64, "街道（乡镇）", False),
    "phone": (32, "联系电话", False),
    "employer": (128, "工作单位", False),
    "post": (64, "岗位", False),
    "bank_name": (64, "开户银行", False),
    "explanation": (300, "类别说明", False),
}
MEMBER_TEXT = {"name": 64, "relation": 16, "health": 64, "school": 64, "work": 64}


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def clean_uscc(raw: Any) -> str:
    text = uscc.compact(_text(raw))
    try:
        uscc.validate(text)
    except InvalidChecksum:
        raise ValueError(
            _("统一社会信用代码“%(raw)s”的校验码不正确（可能有字符录错）") % {"raw": raw}
        ) from None
    except ValidationError:
        raise ValueError(
            _("统一社会信用代码“%(raw)s”应为 18 位数字或大写字母") % {"raw": raw}
        ) from None
    return text


def _amount(raw: Any) -> Decimal:
    try:
        value = Decimal(_text(raw) or "0")
    except InvalidOperation:
        raise ValueError(_("“%(raw)s”不是金额") % {"raw": raw}) from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise ValueError(
            _("金额“%(raw)s”应在 0 至 %(maximum)s 元之间") % {"raw": raw, "maximum": MAX_AMOUNT}
        )
    return value.quantize(Decimal("0.01"))


def _size(raw: Any) -> int:
    text = _text(raw)
    return min(int(text), 99) if text.isdecimal() else 0


def _members(raw: Any, problems: list) -> list[dict]:
    out = []
    for i, m in enumerate(raw or [], start=1):
        m = m if isinstance(m, dict) else {}
        row = {k: _text(m.get(k))[:n] for k, n in MEMBER_TEXT.items()}
        if not row["name"] or not row["relation"]:
            problems.append(("members", f"第 {i} 位家庭成员：请填写姓名和与申请人关系"))
        row["id_number"] = ""
        if _text(m.get("id_number")):
            try:
                row["id_number"] = parse_id(m["id_number"]).number
            except InvalidIdNumber as exc:
                problems.append(("members", f"第 {i} 位家庭成员 {row['name']}：{exc}"))
        out.append(row)
    return out


def _income(raw: Any, problems: list) -> list[dict]:
    out = []
    for i, item in enumerate(raw or [], start=1):
        item = item if isinstance(item, dict) else {}
        label = _text(item.get("item"))[:32] or "收入"
        try:
            out.append({"item": label, "amount": str(_amount(item.get("amount")))})
        except ValueError as exc:
            problems.append(("income_items", f"第 {i} 项收入（{label}）：{exc}"))
    return out


def clean_application(data: dict, causes: dict[str, str], *, on: dt.date) -> dict:
    """The stored fields of an application, or ``ApplicationError`` naming every field."""
    problems: list[tuple[str, str]] = []
    fields: dict[str, Any] = {}
    for key, (limit, label, required) in TEXT.items():
        value = _text(data.get(key))
        if required and not value:
            problems.append((key, f"请填写{label}"))
        if len(value) > limit:
            problems.append((key, f"{label}不能超过 {limit} 个字"))
        fields[key] = value[:limit]
    try:
        parsed = parse_id(data.get("id_number"))
        fields |= {"id_number": parsed.number, "gender": parsed.gender}
        fields["birth_date"] = parsed.birth_date
    except InvalidIdNumber as exc:
        problems.append(("id_number", str(exc)))
    region = _text(data.get("region_code"))
    if not REGION.fullmatch(region):
        problems.append(("region_code", "请选择所在区（县），6 位行政区划代码"))
    fields["region_code"] = region
    fields["employer_uscc"] = ""
    if _text(data.get("employer_uscc")):
        try:
            fields["employer_uscc"] = clean_uscc(data["employer_uscc"])
        except ValueError as exc:
            problems.append(("employer_uscc", str(exc)))
    bank = re.sub(r"\s", "", _text(data.get("bank_account")))
    if bank and not BANK.fullmatch(bank):
        problems.append(("bank_account", "银行卡号应为 12 至 19 位数字"))
    fields["bank_account"] = bank
    main = _text(data.get("main_cause"))
    if main not in causes:
        problems.append(("main_cause", f"请选择主要致困原因（{'、'.join(causes.values())}）"))
    others = [c for c in data.get("other_causes") or [] if c != main]
    if any(c not in causes for c in others):
        problems.append(("other_causes", "次要致困原因不在致困原因列表中"))
    fields |= {"main_cause": main, "other_causes": sorted(set(others))}
    fields["is_migrant"] = bool(data.get("is_migrant"))
    fields["is_model_worker"] = bool(data.get("is_model_worker"))
    members = _members(data.get("members"), problems)
    items = _income(data.get("income_items"), problems)
    category = _text(data.get("category")).upper()
    if category not in ("B", "C", "D"):
        problems.append(("category", "请选择困难类别（B、C、D）"))
    if problems:
        raise ApplicationError(
            problems[0][1],
            code="invalid",
            details=[{"field": f, "message": m} for f, m in problems],
        )
    # a list may declare more people than it names (members entered later)
    fields["family_size"] = max(1 + len(members), _size(data.get("family_size")))
    fields["income_items"] = items
    fields["income_total"], fields["per_capita"] = per_capita(items, fields["family_size"])
    standard = standard_for(region, on)
    fields["standard"] = standard
    fields["category"] = category
    all_causes = {main, *others}
    fields["proposed"] = check_choice(
        standard, fields["per_capita"], all_causes, category, fields["explanation"]
    )
    fields["members"] = members
    return fields
