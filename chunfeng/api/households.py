"""困难职工档案 through the API: list, read, create, change, 脱困 and the bulk import.

Every household is reached through ``households_visible_to`` / ``household_for`` (outside the
caller's subtree → 404); writes are the register services' own (403 for viewers and
reviewers). ID, bank account and phone numbers are masked in every answer, except one
household read with ``?reveal=1`` by a caller whose role may see full numbers; each such
disclosure is logged. A search by ID number goes in a POST body or as its search token
(``id_token``), never in a logged URL. A household read carries its version as ``ETag``; a
change sent with ``If-Match`` of an older one is refused with 409 (contract (c)). A new bank
account or ID number is asked for and waits for a reviewer (``household_changes``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.personal import mask_bank, mask_id, mask_phone
from chunfeng.core.rules import can_edit_households, can_see_full_ids
from chunfeng.core.uploads import HOUSEHOLD_LIST, upload_route
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import unit_for
from chunfeng.register.access import id_access_log
from chunfeng.register.import_jobs import import_upload_now
from chunfeng.register.models import CAUSES, Category, Household, HouseholdStatus
from chunfeng.register.selectors import (
    household_for,
    households_matching,
    pending_changes_of,
    with_pending,
)
from chunfeng.register.services import household_create, household_escape, household_update

from .common import (
    PageMeta,
    RecordId,
    choice,
    if_match_header,
    money,
    multipart_file,
    page_of,
    read_version,
    send_version,
    uploaded_file,
)
from .errors import error_responses
from .values import StrictIn

router = Router(tags=["困难职工档案"])
upload_route("api:household-import", HOUSEHOLD_LIST)

VIEW_PURPOSE = "api:view"


# --- answers ----------------------------------------------------------------------------------


class PendingOut(Schema):
    id: int
    field: str = Field(description="bank_account 银行卡号 / id_number 身份证号码")
    value: str = Field(description="申请改为的号码（掩码）")
    requested_by: str | None
    requested_at: dt.datetime


class HouseholdOut(Schema):
    id: int
    version: int = Field(description="档案的版本，每次保存修改后加 1；与响应头 ETag 相同")
    id_number: str = Field(description="身份证号码；除 `?reveal=1` 且角色允许外均为掩码")
    revealed: bool = Field(description="id_number、bank_account 与 phone 是否为完整号码")
    name: str
    gender: str = Field(description="M 男 / F 女（取自身份证号码）")
    birth_date: dt.date
    phone: str = Field(description="联系电话；与 id_number 同样掩码")
    employer: str
    unit: str = Field(description="建档单位代码")
    category: str = Field(description="困难类别 B / C / D")
    family_size: int
    income: str = Field(description="家庭月人均收入（元，两位小数）")
    is_migrant: bool
    is_new_generation_migrant: bool = Field(description="1980 年及以后出生的农民工")
    is_model_worker: bool
    is_laid_off: bool
    causes: list[str] = Field(description=f"致困原因：{'、'.join(CAUSES)}")
    bank_account: str = Field(description="银行卡号；与 id_number 同样掩码")
    status: str = Field(description="active 在档 / escaped 已脱困")
    escaped_on: dt.date | None
    escaped_reason: str
    pending: list[PendingOut] = Field(
        description="待审核员批准的银行卡号、身份证号码变更（批准前档案中仍为原号码）"
    )


class HouseholdPageOut(PageMeta):
    items: list[HouseholdOut]


def household_answer(household: Household, *, full: bool = False, pending=None) -> dict:
    bank, phone = household.bank_account, household.phone
    return {
        "id": household.pk,
        "version": household.version,
        "id_number": household.id_number if full else mask_id(household.id_number),
        "revealed": full,
        "name": household.name,
        "gender": household.gender,
        "birth_date": household.birth_date,
        "phone": phone if full or not phone else mask_phone(phone),
        "employer": household.employer,
        "unit": household.unit.code,
        "category": household.category,
        "family_size": household.family_size,
        "income": money(household.income),
        "is_migrant": household.is_migrant,
        "is_new_generation_migrant": household.is_new_generation_migrant,
        "is_model_worker": household.is_model_worker,
        "is_laid_off": household.is_laid_off,
        "causes": list(household.causes or []),
        "bank_account": bank if full or not bank else mask_bank(bank),
        "status": household.status,
        "escaped_on": household.escaped_on,
        "escaped_reason": household.escaped_reason,
        "pending": [pending_answer(c) for c in (pending or ())],
    }


def pending_answer(change) -> dict:
    return {
        "id": change.pk,
        "field": change.field,
        "value": change.masked,
        "requested_by": change.requested_by.username if change.requested_by else None,
        "requested_at": change.requested_at,
    }


# --- reads ------------------------------------------------------------------------------------


@router.get(
    "",
    response={200: HouseholdPageOut, **error_responses(400, 404)},
    summary="档案列表",
)
def household_list(
    request: HttpRequest,
    unit: str | None = None,
    status: str | None = None,
    category: str | None = None,
    q: str | None = None,
    id_token: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    """本单位及下级单位的档案，新建的在前。`unit` 限定为该单位及其下级（不在管辖范围内时
    404）；`status`（active / escaped）、`category`（B / C / D）筛选；`q` 按姓名模糊查找。
    `page_size` 最大 200。列表中的身份证号码、银行卡号与联系电话一律为掩码。

    按身份证号码查找时，请用 `POST /households/search`（号码放在请求体中），或给出号码的
    查找令牌 `id_token`（`search` 的回答中有）。`q` 仍接受完整的身份证号码，但**不建议**这样做：
    查询串会写入服务器和代理的访问日志。"""
    user = request.auth
    return page_answer(
        user,
        households_matching(
            user,
            unit=unit_for(user, unit) if unit else None,
            status=choice("status", status, HouseholdStatus.values),
            category=choice("category", category, Category.values),
            q=q,
            id_token=id_token,
        ),
        page,
        page_size,
    )


def page_answer(user, households, page: int, page_size: int, **extra) -> dict:
    rows, count = page_of(with_pending(households), page, page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [household_answer(h, pending=h.waiting) for h in rows],
        **extra,
    }


@router.get(
    "/{int:household_id}",
    response={200: HouseholdOut, **error_responses(404)},
    summary="一份档案",
)
def household_get(
    request: HttpRequest, response: HttpResponse, household_id: RecordId, reveal: bool = False
):
    """`?reveal=1`：本单位或上级单位的填报员、管理员可看到完整的身份证号码、银行卡号与联系
    电话，每次查看都记入身份证号码查看记录；其他角色（审核员、查看员）仍得到掩码。

    响应头 `ETag` 是档案的版本：修改（PATCH）时放在 `If-Match` 中送回。"""
    user = request.auth
    household = household_for(user, household_id)
    full = reveal and can_see_full_ids(user, household.unit)
    if full:
        id_access_log(user=user, household=household, purpose=VIEW_PURPOSE)
    send_version(response, household.version)
    return household_answer(household, full=full, pending=pending_changes_of(household))


# --- writes -----------------------------------------------------------------------------------

Money = Decimal | str


class HouseholdFields(StrictIn):
    name: str | None = Field(None, description="姓名")
    phone: str | None = Field(None, description="联系电话")
    employer: str | None = Field(None, description="工作单位")
    category: str | None = Field(None, description="困难类别 B / C / D（或其中文名称）")
    family_size: int | None = Field(None, description="家庭人口 1～30")
    income: Money | None = Field(None, description="家庭月人均收入（元），数字或数字文本")
    is_migrant: bool | None = None
    is_model_worker: bool | None = None
    is_laid_off: bool | None = None
    causes: list[str] | None = Field(None, description=f"致困原因：{'、'.join(CAUSES)}")
    bank_account: str | None = Field(None, description="银行卡号")


class HouseholdIn(HouseholdFields):
    unit: str | None = Field(None, description="建档单位代码；省略时为本单位")
    id_number: str = Field(description="身份证号码（18 位，或 15 位旧号码）")
    name: str = Field(description="姓名")
    category: str = Field(description="困难类别 B / C / D（或其中文名称）")


class HouseholdPatch(HouseholdFields):
    id_number: str | None = Field(
        None, description="更正身份证号码：须经审核员批准后生效（见 `pending`）"
    )


def _service_data(payload: StrictIn) -> dict:
    """The given fields (``null`` means "no change"); the service checks them all."""
    data = payload.model_dump(exclude_unset=True, exclude={"unit"})
    return {key: value for key, value in data.items() if value is not None}


def _editable(user, code: str | None) -> OrgUnit:
    """The unit to keep a file in: 404 outside the subtree, 403 for a role that does not write,
    400 for a retired unit."""
    if not code and user.unit_id is None:
        raise NotPermitted(_("您不属于任何单位，不能建立档案"))
    unit = unit_for(user, code) if code else user.unit
    if not can_edit_households(user, unit):
        raise NotPermitted(
            _("您不能为%(unit)s建立或导入困难职工档案（只有填报员、管理员可以）")
            % {"unit": unit.name}
        )
    if not unit.active:
        raise ApplicationError(
            _("%(unit)s已撤销，不能再为其建立档案") % {"unit": unit.name}, code="unit_retired"
        )
    return unit


WRITE_ERRORS = error_responses(400, 403, 404, 422)


@router.post("", response={201: HouseholdOut, **WRITE_ERRORS}, summary="建立档案")
def household_new(request: HttpRequest, response: HttpResponse, payload: HouseholdIn):
    """在本单位或下级单位建档（`unit`，默认本单位）。一户一档：该身份证号码已有在档的档案时
    返回 400——档案在本单位或下级单位时指明建档单位，在其他单位时只说明已在其他单位建档、
    由哪一级审核员核实；号码无效等填写问题返回 400，`details` 指明字段。"""
    user = request.auth
    unit = _editable(user, payload.unit)
    household = household_create(unit=unit, data=_service_data(payload), actor=user)
    send_version(response, household.version)
    return Status(201, household_answer(household))


@router.patch(
    "/{int:household_id}",
    response={200: HouseholdOut, **error_responses(400, 403, 404, 409, 422)},
    summary="修改档案",
)
def household_change(
    request: HttpRequest,
    response: HttpResponse,
    household_id: RecordId,
    payload: HouseholdPatch,
    if_match: str | None = if_match_header(),
):
    """只修改给出的项（给出 null 等于不修改；清空文本项请给空文本）；本单位或上级单位的
    填报员、管理员可以修改（否则 403）。

    `bank_account`、`id_number` 改为新号码时不立即生效：成为一项待审核的变更（见回答中的
    `pending`），由建档单位或上级单位的审核员批准后才改入档案。

    带 `If-Match`（读取时的 `ETag`）时，若档案此后已被他人修改，返回 409，`details` 逐项
    列出现存值与您提交的值（号码为掩码），不保存任何内容。"""
    user = request.auth
    household = household_for(user, household_id)
    household = household_update(
        household=household,
        data=_service_data(payload),
        version=read_version(if_match),
        actor=user,
    )
    send_version(response, household.version)
    return household_answer(household, pending=pending_changes_of(household))


class EscapeIn(StrictIn):
    on: dt.date = Field(description="脱困日期（YYYY-MM-DD）")
    reason: str = Field(description="脱困原因（必填）")


@router.post(
    "/{int:household_id}/escape",
    response={200: HouseholdOut, **error_responses(400, 403, 404, 409, 422)},
    summary="标为脱困",
)
def household_mark_escaped(request: HttpRequest, household_id: RecordId, payload: EscapeIn):
    """档案标为已脱困（附件1 03E 计入当年脱困户数），此人此后可以重新建档。已脱困的档案
    返回 409。"""
    user = request.auth
    household = household_for(user, household_id)
    household = household_escape(
        household=household, on=payload.on, reason=payload.reason, actor=user
    )
    return household_answer(household, pending=pending_changes_of(household))


# --- import -----------------------------------------------------------------------------------


class ImportProblem(Schema):
    row: int | None = Field(None, description="文件中的行号（列名为第 1 行）")
    column: str = Field(description="列名")
    message: str


class ImportErrorOut(Schema):
    code: str
    message: str
    details: list[ImportProblem]


class ImportedOut(Schema):
    imported: int = Field(description="导入的户数")


@router.post(
    "/import",
    response={200: ImportedOut, 400: ImportErrorOut, **error_responses(403, 404, 413, 422)},
    summary="批量导入档案",
    url_name="household-import",
    openapi_extra=multipart_file("xlsx、xls 或 csv 名单，不超过 100 MB"),
)
def household_import(request: HttpRequest, unit: str | None = None):
    """multipart 上传（字段名 file）xlsx 或 csv（UTF-8 或 GBK），第一行为列名：
    姓名、身份证号码、联系电话、工作单位、困难类别、家庭人口、家庭月人均收入、是否农民工、
    是否劳模（可另有是否下岗失业、银行卡号）。导入到 `unit`（默认本单位）。

    全部或全不：任何一行有错（包括文件内重复、一户一档冲突）时返回 400，`details` 逐处列出
    `{row, column, message}`（最多 1000 处），不导入任何数据；成功时返回导入的户数。"""
    user = request.auth
    target = _editable(user, unit)  # who may import there, asked before the file is read
    file = uploaded_file(request, HOUSEHOLD_LIST)
    check = import_upload_now(file, unit=target, actor=user)
    return {"imported": check.valid}
