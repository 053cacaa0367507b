"""A household's history: what its audit rows say, with every personal number masked for every
role (contract (a)), and the full values of a change sealed beside them for the auditors.

A change of the bank account, the phone or the ID number is written as ``changes`` with the
masked old and new values — what the history shows — and ``sealed``, the full values encrypted
under the key held outside the database (``chunfeng.core.sealed``). Only an auditor (a viewer
or an admin of a unit above the keeping union, ``rules.can_audit``) opens them, and each
opening is logged in the ID access log."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chunfeng.core.audit import audit_for
from chunfeng.core.errors import NotPermitted
from chunfeng.core.personal import mask_bank, mask_id, mask_phone
from chunfeng.core.rules import can_audit
from chunfeng.core.sealed import seal, unseal

from .access import id_access_log
from .models import Household

MASKS = {"id_number": mask_id, "bank_account": mask_bank, "phone": mask_phone}

FIELD_LABELS = {
    "name": gettext_lazy("姓名"),
    "id_number": gettext_lazy("身份证号码"),
    "phone": gettext_lazy("联系电话"),
    "employer": gettext_lazy("工作单位"),
    "category": gettext_lazy("困难类别"),
    "family_size": gettext_lazy("家庭人口"),
    "income": gettext_lazy("家庭月人均收入"),
    "is_migrant": gettext_lazy("农民工"),
    "is_model_worker": gettext_lazy("劳模"),
    "is_laid_off": gettext_lazy("下岗失业"),
    "causes": gettext_lazy("致困原因"),
    "bank_account": gettext_lazy("银行卡号"),
    "escaped_reason": gettext_lazy("脱困原因"),
    "members": gettext_lazy("家庭成员"),
    "relation": gettext_lazy("与户主关系"),
    "unit": gettext_lazy("建档单位"),
}
ACTIONS = {
    "household.create": gettext_lazy("建档"),
    "household.update": gettext_lazy("修改"),
    "household.escape": gettext_lazy("脱困"),
    "household.member_add": gettext_lazy("添加家庭成员"),
    "household.change_request": gettext_lazy("申请变更"),
    "household.change_approve": gettext_lazy("批准变更"),
    "household.change_reject": gettext_lazy("驳回变更"),
}
AUDIT_PURPOSE = "audit:history"


def masked(field: str, value: Any) -> str:
    text = "" if value is None else str(value)
    return MASKS[field](text) if field in MASKS and text else text


def audited_changes(changes: dict[str, list]) -> dict[str, Any]:
    """The ``details`` of an audit row for ``{field: [old, new]}``: personal numbers masked in
    ``changes``, their full values in ``sealed`` (only when there are any)."""
    full = {k: [str(old), str(new)] for k, (old, new) in changes.items() if k in MASKS}
    shown = {k: [masked(k, old), masked(k, new)] for k, (old, new) in changes.items()}
    return {"changes": shown, **({"sealed": seal(full)} if full else {})}


def _text(event) -> str:
    details = event.details or {}
    parts = [
        f"{FIELD_LABELS.get(key, key)}：{old} → {new}"
        for key, (old, new) in (details.get("changes") or {}).items()
    ]
    if event.action == "household.escape":
        parts.append(f"{details.get('on', '')} {details.get('reason', '')}")
    if event.action == "household.member_add":
        parts.append(" ".join(str(details.get(k, "")) for k in ("name", "relation", "id")))
    if details.get("reason") and event.action.startswith("household.change_"):
        parts.append(_("理由：%(reason)s") % {"reason": details["reason"]})
    return "；".join(parts)


def household_history(household: Household, *, limit: int = 100) -> list[dict]:
    """The rows of the household page's history, newest first (each ``sealed`` when it keeps
    full values an auditor may open)."""
    events: list[dict[str, Any]] = [
        {
            "id": event.pk,
            "at": event.created_at,
            "actor": event.who,
            "kind": event.action,
            "action": ACTIONS.get(event.action, event.action),
            "text": _text(event),
            "sealed": bool((event.details or {}).get("sealed")),
        }
        for event in audit_for(household)[:limit]
    ]
    if not any(e["kind"] == "household.create" for e in events):  # a file from a bulk import
        events.append(
            {
                "id": None,
                "at": household.created_at,
                "kind": "household.create",
                "actor": household.created_by or _("系统"),
                "action": _("建档（批量导入）"),
                "text": "",
                "sealed": False,
            }
        )
    return events


def history_unseal(*, household: Household, event_id: int, actor) -> list[str]:
    """The full old and new values of one history row, for an auditor; logged."""
    if not can_audit(actor, household.unit):
        raise NotPermitted(_("只有上级单位的查看员、管理员（审计）可以查看变更记录中的完整号码"))
    event = audit_for(household).filter(pk=event_id).first()
    token = (event.details or {}).get("sealed") if event is not None else None
    if event is None or not token:
        raise Http404(_("这条变更记录没有加密保存的号码"))
    full = unseal(token)
    id_access_log(
        user=actor, household=household, purpose=AUDIT_PURPOSE, details={"event": event.pk}
    )
    return [
        f"{FIELD_LABELS.get(k, k)}：{old or _('（空）')} → {new or _('（空）')}"
        for k, (old, new) in full.items()
    ]
