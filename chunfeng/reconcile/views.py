from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.web import back_on_error
from chunfeng.reports.selectors import report_slot_for

from .figures import report_take_derived


def _entry(request, campaign_id: int, unit_code: str, form_code: str) -> str:
    return reverse("report-entry", args=[campaign_id, unit_code, form_code])


@login_required
@require_POST
@back_on_error(_entry)
def take_derived(request, campaign_id: int, unit_code: str, form_code: str):
    """Fill a draft's record-based blanks from the records (the other blanks keep theirs)."""
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code)
    report_take_derived(slot=slot, actor=request.user)
    messages.success(
        request, _("已按困难职工档案、走访和发放记录填入相关数字，请核对后保存或报送。")
    )
    return redirect(_entry(request, campaign_id, unit_code, form_code))
