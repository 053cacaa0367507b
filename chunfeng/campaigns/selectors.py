from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from chunfeng.orgunits.models import OrgUnit

from .models import Campaign, CampaignForm


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns the user's unit owns, sits under, or has a recipient in its subtree."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Campaign.objects.none()
    unit = user.unit
    ancestor_codes = unit.path.strip("/").split("/")
    recipients_here = OrgUnit.objects.filter(campaigns=OuterRef("pk"), path__startswith=unit.path)
    return Campaign.objects.filter(
        Q(owner__path__startswith=unit.path)
        | (Q(owner__code__in=ancestor_codes) & Exists(recipients_here))
    )


def campaign_for(user, campaign_id: int) -> Campaign:
    try:
        return campaigns_visible_to(user).get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404(f"没有编号为 {campaign_id} 的活动，或您无权查看") from None


def campaign_form(campaign: Campaign, code: str) -> CampaignForm:
    try:
        return campaign.forms.select_related("form_version").get(code=code)
    except CampaignForm.DoesNotExist:
        raise Http404(f"活动“{campaign.name}”不包含表单 {code}") from None
