"""E-mail side effects of the workflow, sent after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail

from chunfeng.accounts.models import Role, User
from chunfeng.campaigns.selectors import reviewing_unit

_SUBJECTS = {
    "submit": "【春风】{unit}已报送{form}",
    "approve": "【春风】{unit}的{form}已审核通过",
    "return": "【春风】{unit}的{form}被退回",
    "reopen": "【春风】{unit}的{form}被重新打开",
}


def _recipients(report, action: str) -> list[str]:
    if action == "submit":
        unit = reviewing_unit(report.campaign_form.campaign, report.unit)
        users = User.objects.filter(unit=unit, role=Role.REVIEWER) if unit else User.objects.none()
    else:
        users = User.objects.filter(unit=report.unit, role=Role.FILLER)
    return [u.email for u in users.filter(is_active=True).exclude(email="")]


def notify_transition(report, action: str, actor, details: dict) -> None:
    to = _recipients(report, action)
    if not to:
        return
    form = report.form_version.title
    subject = _SUBJECTS[action].format(unit=report.unit.name, form=form)
    body = f"{subject}。\n活动：{report.campaign_form.campaign.name}\n操作人：{actor}\n"
    if details.get("reason"):
        body += f"原因：{details['reason']}\n"
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in to])
