"""The batch page's household picker (HTMX): the user types a name, a fragment of the ID number
or of the phone; the words are posted, never put in a URL. Picking a file puts it in the add-line
form by its ID's search token (``core.personal.search_token``), shown masked; ``line_add_view``
turns the token back into the number within the batch unit's subtree."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.personal import mask_id, mask_phone

from .batch_views import _with_precheck, writable_batch
from .forms import LineForm
from .models import Recipient
from .selectors import household_to_pay, households_to_pay


@login_required
@require_POST
def line_pick(request, pk: int):
    batch = writable_batch(request, pk)  # 404 outside the subtree, 403 for readers
    if request.POST.get("pick"):
        household = household_to_pay(batch, pk=request.POST["pick"])
        if household is None:
            raise Http404(_("没有这份在档档案，或不在本批次单位的管辖范围内"))
        campaign = batch.campaign
        paid_on = min(max(timezone.localdate(), campaign.period_start), campaign.period_end)
        form = LineForm(
            initial={
                "recipient": Recipient.HOUSEHOLD,
                "id_number": household.id_token,
                "name": household.name,
                "paid_on": paid_on,
            }
        )
        form.fields["id_number"].widget = forms.HiddenInput()
        household.masked_id = mask_id(household.id_number)
        context = {"batch": batch, "line_form": _with_precheck(form, batch), "picked": household}
        return render(request, "funds/_add_line.html", context)
    found = list(households_to_pay(batch, request.POST.get("q", "")))
    for household in found:
        household.masked_id = mask_id(household.id_number)
        household.masked_phone = mask_phone(household.phone)
    return render(request, "funds/_picks.html", {"batch": batch, "found": found})
