"""The 低保标准 in force for a region on a day, and the category a family's figures support.

B: per-capita income below the line. C: from the line up to the margin (e.g. 1.5 × the line)
— slightly above it, in difficulty for a cause. D: a family struck by an accident, a serious
illness or a disaster, whatever its income. A filer may choose only a category the figures and
causes support, or must say why (``explanation``)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from chunfeng.core.errors import ApplicationError

from .models import Cause, Standard

D_CAUSES = frozenset({"illness", "accident", "disaster"})
CENT = Decimal("0.01")


def city_of(region_code: str) -> str:
    return region_code[:4] + "00"


def standard_for(region_code: str, on: dt.date) -> Standard | None:
    """The standard in force on ``on``: the district's own, else its city's."""
    found = (
        Standard.objects.filter(
            region_code__in=(region_code, city_of(region_code)), effective_from__lte=on
        )
        .order_by("-effective_from")
        .select_related("set_by")
    )
    exact = [s for s in found[:20] if s.region_code == region_code]
    return exact[0] if exact else found.first()


def per_capita(items: list[dict], family_size: int) -> tuple[Decimal, Decimal]:
    """The family's monthly income and its per-capita figure (元, to the fen)."""
    total = sum((Decimal(str(i["amount"])) for i in items), Decimal("0"))
    return total.quantize(CENT), (total / max(family_size, 1)).quantize(CENT, ROUND_HALF_UP)


def margin_of(standard: Standard) -> Decimal:
    return (standard.low_line * standard.c_margin).quantize(CENT, ROUND_HALF_UP)


def supported(standard: Standard | None, income: Decimal, causes: set[str]) -> list[str]:
    """The categories the figures and causes support, the proposal first."""
    out = []
    if standard is not None and income < standard.low_line:
        out.append("B")
    if causes & D_CAUSES:
        out.append("D")
    if standard is not None and standard.low_line <= income <= margin_of(standard) and causes:
        out.append("C")
    return out


def propose(standard: Standard | None, income: Decimal, causes: set[str]) -> str:
    found = supported(standard, income, causes)
    return found[0] if found else ""


def check_choice(
    standard: Standard | None, income: Decimal, causes: set[str], category: str, explanation: str
) -> str:
    """The proposal; refuses a category the figures do not support unless it is explained."""
    allowed = supported(standard, income, causes)
    if category not in allowed and not explanation.strip():
        if standard is None:
            why = "该地区尚未设置低保标准"
        else:
            why = (
                f"家庭月人均收入 {income} 元，{standard.region_name}{standard.year}年低保标准 "
                f"{standard.low_line} 元，低保边缘上限 {margin_of(standard)} 元"
            )
        fits = "、".join(allowed) or "无"
        message = (
            f"{why}，所填类别 {category} 与收入和致困原因不符（可选：{fits}）；请改选或说明理由"
        )
        raise ApplicationError(
            message,
            code="category_unsupported",
            details=[{"field": "category", "message": message}],
        )
    return allowed[0] if allowed else ""


NATIONAL_CAUSES = {  # the national system's list, seeded as configuration (migration 0002)
    "illness": "大病", "disability": "残疾", "schooling": "子女上学", "unemployment": "失业",
    "accident": "意外事件", "disaster": "灾害", "low_income": "收入低", "other": "其他",
}  # fmt: skip


def cause_labels() -> dict[str, str]:
    """The active causes as configured; the national list where none is configured at all."""
    rows = list(Cause.objects.values_list("code", "label", "active"))
    if not rows:
        return dict(NATIONAL_CAUSES)
    return {code: label for code, label, active in rows if active}
