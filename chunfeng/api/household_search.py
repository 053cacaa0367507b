"""A search of the register with its conditions in the request body: an ID number in a URL
ends up in the access logs of the server and of every proxy on the way (contract (b))."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from chunfeng.orgunits.selectors import unit_for
from chunfeng.register.models import Category, HouseholdStatus
from chunfeng.register.selectors import households_matching, id_token_of

from .common import bad_parameter, choice
from .errors import error_responses
from .households import HouseholdPageOut, page_answer
from .values import StrictIn

router = Router(tags=["困难职工档案"])


class SearchIn(StrictIn):
    id_number: str | None = Field(None, description="完整的身份证号码（精确查找）")
    q: str | None = Field(None, description="姓名的一部分")
    unit: str | None = Field(None, description="单位代码：该单位及其下级")
    status: str | None = Field(None, description="active / escaped")
    category: str | None = Field(None, description="B / C / D")
    page: int = 1
    page_size: int = 50


class SearchOut(HouseholdPageOut):
    id_token: str | None = Field(
        description="所给身份证号码的查找令牌：此后可用 `GET /households?id_token=…` 再次查找，"
        "URL 中不出现号码"
    )


@router.post(
    "/search",
    response={200: SearchOut, **error_responses(400, 404, 422)},
    summary="查找档案（号码放在请求体中）",
)
def household_search(request: HttpRequest, payload: SearchIn):
    """与档案列表相同的筛选，但条件放在请求体中，身份证号码因而不会进入任何访问日志。
    `id_number` 不是有效的完整身份证号码时返回 400。"""
    user = request.auth
    token = None
    if payload.id_number:
        token = id_token_of(payload.id_number)
        if token is None:
            raise bad_parameter("id_number", "id_number 应为完整、有效的身份证号码")
    households = households_matching(
        user,
        unit=unit_for(user, payload.unit) if payload.unit else None,
        status=choice("status", payload.status, HouseholdStatus.values),
        category=choice("category", payload.category, Category.values),
        q=payload.q,
        id_token=token,
    )
    return page_answer(user, households, payload.page, payload.page_size, id_token=token)
