"""The text messages of a case: to the worker (received, closed, return visit) and to the
handling union (assigned, near the limit, overdue — the last also to the union above). Sent
after the change commits (``chunfeng.core.sms``); the worker's number is the caller's phone
when it is a mobile number, the union's are its contact phone and its handlers' phones."""

from __future__ import annotations

from chunfeng.accounts.models import User
from chunfeng.core.rules import WRITER_ROLES
from chunfeng.core.sms import Message, send_on_commit
from chunfeng.orgunits.models import OrgUnit

from .intake import is_mobile
from .models import Case

HOTLINE = "12351"

WORKER_TEXTS = {
    "case_received": "您的求助已受理，工单编号{number}，由{unit}办理。可凭编号和本手机号查询进度。"
    "【{hotline}职工服务热线】",
    "case_closed": "您的工单{number}已办结，办理结果：{outcome}。如有意见请致电{hotline}。"
    "【{hotline}职工服务热线】",
    "case_visited": "感谢您对工单{number}的评价（{satisfaction}）。{more}【{hotline}职工服务热线】",
}
UNIT_TEXTS = {
    "case_assigned": "{unit}：新工单{number}（{category}）请在{ack_due}前签收，{due}前办结。",
    "case_near_limit": "{unit}：工单{number}将于{due}到期，请抓紧办理。",
    "case_overdue": "{unit}：工单{number}已超过办理期限（{due}），已报{above}督办。",
}


def _params(case: Case, **extra: str) -> dict[str, str]:
    return {
        "number": case.number,
        "unit": case.unit.name,
        "category": case.get_category_display(),
        "ack_due": f"{case.ack_due:%Y-%m-%d}",
        "due": f"{case.due:%Y-%m-%d}",
        "hotline": HOTLINE,
        **extra,
    }


def _message(to: str, template: str, texts: dict, params: dict) -> Message:
    return Message(to=to, template=template, params=params, text=texts[template].format(**params))


def to_worker(case: Case, template: str, **extra: str) -> None:
    if is_mobile(case.caller_phone):
        params = _params(case, **extra)
        send_on_commit([_message(case.caller_phone, template, WORKER_TEXTS, params)])


def unit_phones(unit: OrgUnit) -> list[str]:
    """The mobile numbers of a union: its contact phone, and its active handlers' phones."""
    phones = [unit.contact_phone] + list(
        User.objects.filter(unit=unit, is_active=True, role__in=WRITER_ROLES)
        .exclude(phone="")
        .values_list("phone", flat=True)
    )
    return sorted({p for p in phones if is_mobile(p)})


def to_unit(case: Case, template: str, unit: OrgUnit | None = None, **extra: str) -> None:
    unit = unit or case.unit
    params = _params(case, **extra) | {"unit": unit.name}
    send_on_commit([_message(p, template, UNIT_TEXTS, params) for p in unit_phones(unit)])
