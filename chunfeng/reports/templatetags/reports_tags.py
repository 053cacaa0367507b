from django import template
from django.utils.translation import gettext_lazy as _

from chunfeng.reports.models import ReportStatus

register = template.Library()

ACTION_LABELS = {
    "report.save": _("保存草稿"),
    "report.submit": _("报送"),
    "report.approve": _("审核通过"),
    "report.return": _("退回"),
    "report.reopen": _("重新打开"),
    "report.fill_from_children": _("按下级汇总填入"),
    "report.take_derived": _("按档案和发放记录取数"),
    "report.finalise": _("结束活动，最终报表定稿"),
}


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def status_label(status: str) -> str:
    try:
        return str(ReportStatus(status).label)
    except ValueError:
        return status
