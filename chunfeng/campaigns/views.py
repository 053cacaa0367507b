from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chunfeng.accounts.models import Role
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.orgunits.selectors import unit_for

from .completeness import completeness, overdue_units, rates
from .forms import CampaignForm
from .selectors import campaign_for, campaigns_visible_to, report_grid, todo_for
from .services import campaign_copy, campaign_create, reminder_send


@login_required
def home(request):
    from chunfeng.reports.selectors import review_queue

    from .models import Reminder

    context = {
        "todo": todo_for(request.user),
        "today": timezone.localdate(),
        "queue": review_queue(request.user),
        "reminders": Reminder.objects.filter(unit=request.user.unit).select_related(
            "campaign", "sent_by"
        )[:10],
    }
    return render(request, "campaigns/home.html", context)


@login_required
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).select_related("owner")
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request, pk: int):
    campaign = campaign_for(request.user, pk)
    user = request.user
    context = {
        "campaign": campaign,
        "can_copy": user.role == Role.ADMIN and campaign.owner.is_within(user.unit),
        "forms": campaign.forms.select_related("form_version"),
        "grid": report_grid(request.user, campaign),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def campaign_new(request):
    if request.user.role != Role.ADMIN:
        raise PermissionDenied("只有管理员可以发起活动")
    form = CampaignForm(request.POST or None, request.FILES or None, owner=request.user.unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                owner=request.user.unit, name=data["name"], notice=data["notice"],
                period_start=data["period_start"], period_end=data["period_end"],
                deadline=data["deadline"], forms=form.form_choices(),
                recipients=form.recipients(), actor=request.user,
                requires_work_report=data["requires_work_report"],
                notice_file=data.get("notice_file"),
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已发起活动“{campaign.name}”。")
            return redirect("campaign-detail", campaign.pk)
    return render(request, "campaigns/campaign_new.html", {"form": form})


@login_required
@require_POST
def campaign_copy_view(request, pk: int):
    campaign = campaign_for(request.user, pk)
    if request.user.role != Role.ADMIN or not campaign.owner.is_within(request.user.unit):
        raise PermissionDenied("只有发起单位（或其上级）的管理员可以复制活动")
    name = request.POST.get("name", "").strip() or f"{campaign.name}（复制）"
    try:
        copy = campaign_copy(campaign=campaign, actor=request.user, name=name)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("campaign-detail", pk)
    messages.success(request, f"已复制为“{copy.name}”，日期已顺延一年，请核对。")
    return redirect("campaign-detail", copy.pk)


@login_required
def completeness_page(request, pk: int):
    campaign = campaign_for(request.user, pk)
    root = (
        unit_for(request.user, request.GET["unit"])
        if request.GET.get("unit")
        else request.user.unit
    )
    rows = completeness(campaign, root)
    overdue = overdue_units(rows)
    context = {
        "campaign": campaign, "root": root, "rows": rows, "rates": rates(rows),
        "overdue": overdue, "remindable": [u for u in overdue if u.pk != request.user.unit_id],
        "can_remind": request.user.role in (Role.REVIEWER, Role.ADMIN),
    }  # fmt: skip
    return render(request, "campaigns/completeness.html", context)


@login_required
@require_POST
def remind_overdue(request, pk: int):
    campaign = campaign_for(request.user, pk)
    if request.user.role not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有审核员或管理员可以催报")
    rows = completeness(campaign, request.user.unit)
    units = [u for u in overdue_units(rows) if u.pk != request.user.unit_id]
    if not units:
        messages.info(request, "没有可以催报的逾期单位。")
        return redirect("campaign-completeness", pk)
    try:
        sent = reminder_send(campaign=campaign, actor=request.user, units=units,
                             message=request.POST.get("message", ""))  # fmt: skip
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"已向 {len(sent)} 个逾期单位发出催报。")
    return redirect("campaign-completeness", pk)


@login_required
def notice_file(request, pk: int):
    campaign = campaign_for(request.user, pk)
    if not campaign.notice_file:
        raise Http404("该活动没有通知附件")
    return FileResponse(campaign.notice_file.open("rb"), as_attachment=True,
                        filename=campaign.notice_file.name.rsplit("/", 1)[-1])  # fmt: skip
