from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.panels import render_panels
from chunfeng.core.rules import can_launch_campaign, can_pass_down
from chunfeng.core.uploads import DOCUMENT, upload_page
from chunfeng.core.web import attempt, back_on_error

from .forms import CampaignForm, PassDownForm
from .passdown import campaign_pass_down, deadline_of, deadline_tree, pass_downs_above
from .selectors import campaign_for, campaigns_listed_for, forms_of, is_recipient, units_to_pass
from .services import campaign_copy, campaign_create


@login_required
def campaign_list(request):
    campaigns = campaigns_listed_for(request.user)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request, pk: int):
    """The campaign and, from the apps above, what belongs to it (the filing grid)."""
    campaign = campaign_for(request.user, pk)
    forms = forms_of(campaign)
    unit = request.user.unit
    receives = unit is not None and is_recipient(campaign, unit)
    context = {
        "campaign": campaign,
        "can_copy": can_launch_campaign(request.user, campaign.owner),
        "can_pass_down": receives and can_pass_down(request.user, unit),
        "own_deadline": deadline_of(campaign, unit) if receives else None,
        "given_by": pass_downs_above(campaign, unit).first() if receives else None,
        "tree": deadline_tree(request.user, campaign) if unit is not None else [],
        "forms": forms,
        "panels": render_panels("campaign.detail", request, campaign=campaign, forms=forms),
    }
    return render(request, "campaigns/campaign_detail.html", context)


def may_launch(request) -> None:
    if not (request.user.unit_id and can_launch_campaign(request.user, request.user.unit)):
        raise PermissionDenied(_("只有管理员可以发起活动"))


@login_required
@upload_page(limit=DOCUMENT, permit=may_launch)  # the notice may come with an attachment
def campaign_new(request):
    may_launch(request)
    form = CampaignForm(request.POST or None, request.FILES or None, owner=request.user.unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = attempt(
            form,
            lambda: campaign_create(
                owner=request.user.unit,
                name=data["name"],
                notice=data["notice"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                deadline=data["deadline"],
                forms=form.form_choices(),
                recipients=form.recipients(),
                actor=request.user,
                requires_work_report=data["requires_work_report"],
                notice_file=data.get("notice_file"),
            ),
        )
        if campaign is not None:
            messages.success(request, _("已发起活动“%(campaign)s”。") % {"campaign": campaign.name})
            return redirect("campaign-detail", campaign.pk)
    return render(request, "campaigns/campaign_new.html", {"form": form})


@login_required
@require_POST
@back_on_error(lambda request, pk: reverse("campaign-detail", args=[pk]))
def campaign_copy_view(request, pk: int):
    campaign = campaign_for(request.user, pk)
    name = request.POST.get("name", "").strip() or f"{campaign.name}（复制）"
    copy = campaign_copy(campaign=campaign, actor=request.user, name=name)
    messages.success(
        request, _("已复制为“%(name)s”，日期已顺延一年，请核对。") % {"name": copy.name}
    )
    return redirect("campaign-detail", copy.pk)


@login_required
def notice_file(request, pk: int):
    campaign = campaign_for(request.user, pk)
    if not campaign.notice_file:
        raise Http404(_("该活动没有通知附件"))
    return FileResponse(
        campaign.notice_file.open("rb"),
        as_attachment=True,
        filename=campaign.notice_file.name.rsplit("/", 1)[-1],
    )


@login_required
def campaign_pass_down_page(request, pk: int):
    """下发 the campaign from the user's own unit to units below it."""
    campaign = campaign_for(request.user, pk)
    unit = request.user.unit
    if not can_pass_down(request.user, unit):
        raise PermissionDenied(_("只有管理员或审核员可以下发活动"))
    form = PassDownForm(request.POST or None, below=units_to_pass(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: campaign_pass_down(
                campaign=campaign,
                unit=unit,
                actor=request.user,
                target=data["target"],
                deadline=data["deadline"],
                notice=data["notice"],
                picked=list(data.get("picked") or []),
            ),
            labels={"units": "逐个选择的单位"},
        )
        if done is not None:
            messages.success(
                request,
                _("已下发，本级报送截止日期 %(deadline)s。")
                % {"deadline": f"{done.deadline:%Y-%m-%d}"},
            )
            return redirect("campaign-detail", campaign.pk)
    context = {"campaign": campaign, "form": form, "own_deadline": deadline_of(campaign, unit)}
    return render(request, "campaigns/pass_down.html", context)
