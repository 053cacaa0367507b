"""What a household's reviewers and auditors do on its page: approve or reject a change of the
bank account or the ID number (four eyes, ``changes``), see the changes waiting in their
subtree, and — auditors only — open the full values sealed in a history row (logged)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.rules import reviews_at_all
from chunfeng.core.web import back_on_error

from .changes import change_approve, change_reject
from .history import history_unseal
from .selectors import change_for, changes_waiting, household_for


def _back(request, pk: int) -> str:
    return reverse("household-detail", args=[change_for(request.user, pk).household_id])


@login_required
@require_POST
@back_on_error(_back)
def change_approve_view(request, pk: int):
    change = change_approve(
        change=change_for(request.user, pk),
        reason=request.POST.get("reason", ""),
        actor=request.user,
    )
    messages.success(
        request,
        _("已批准：%(field)s改为 %(masked)s")
        % {"field": change.get_field_display(), "masked": change.masked},
    )
    return redirect("household-detail", change.household_id)


@login_required
@require_POST
@back_on_error(_back)
def change_reject_view(request, pk: int):
    change = change_reject(
        change=change_for(request.user, pk),
        reason=request.POST.get("reason", ""),
        actor=request.user,
    )
    messages.success(
        request,
        _("已驳回：%(field)s改为 %(masked)s")
        % {"field": change.get_field_display(), "masked": change.masked},
    )
    return redirect("household-detail", change.household_id)


@login_required
def changes_waiting_list(request):
    """The reviewer's queue: changes of bank accounts and ID numbers waiting in the subtree."""
    if not reviews_at_all(request.user):
        raise PermissionDenied(_("只有审核员审核银行卡号、身份证号码的变更"))
    changes = changes_waiting(request.user)[:500]
    return render(request, "register/changes_waiting.html", {"changes": changes})


@login_required
@require_POST
def history_unseal_view(request, pk: int, event: int):
    """The full old and new values of a history row, for auditors; every opening is logged."""
    household = household_for(request.user, pk)
    lines = history_unseal(household=household, event_id=event, actor=request.user)
    context = {"lines": lines, "household": household}
    if request.headers.get("HX-Request"):
        return render(request, "register/_unsealed.html", context)
    return render(request, "register/history_unsealed.html", context)
