from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import units_visible_to

from .models import Campaign, CampaignForm, Reminder


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


def campaigns_listed_for(user) -> QuerySet[Campaign]:
    return campaigns_visible_to(user).select_related("owner")


def forms_of(campaign: Campaign) -> list[CampaignForm]:
    return list(campaign.forms.select_related("form_version"))


def campaign_for(user, campaign_id: int) -> Campaign:
    try:
        return campaigns_visible_to(user).get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404(
            _("没有编号为 %(campaign_id)s 的活动，或您无权查看") % {"campaign_id": campaign_id}
        ) from None


def campaign_form(campaign: Campaign, code: str) -> CampaignForm:
    try:
        return campaign.forms.select_related("form_version").get(code=code)
    except CampaignForm.DoesNotExist:
        raise Http404(
            _("活动“%(campaign)s”不包含表单 %(code)s") % {"campaign": campaign.name, "code": code}
        ) from None


def recipients_visible_to(user, campaign: Campaign) -> QuerySet[OrgUnit]:
    return campaign.recipients.filter(path__startswith=user.unit.path).order_by("path")


def is_recipient(campaign: Campaign, unit: OrgUnit) -> bool:
    return campaign.recipients.filter(pk=unit.pk).exists()


def units_to_pass(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The active units below ``unit`` that it may pass a campaign on to."""
    return OrgUnit.objects.filter(path__startswith=unit.path, active=True).exclude(pk=unit.pk)


def reviewing_unit(campaign: Campaign, unit: OrgUnit) -> OrgUnit | None:
    """Who reviews ``unit``'s reports: its nearest ancestor that takes part in the campaign,
    as a recipient that collects from below or as the campaign's owner."""
    codes = unit.path.strip("/").split("/")[:-1]
    participants = {
        u.code: u
        for u in OrgUnit.objects.filter(code__in=codes).filter(
            Q(pk=campaign.owner_id) | Q(campaigns=campaign)
        )
    }
    for code in reversed(codes):
        if code in participants:
            return participants[code]
    return None


def reminders_for(unit: OrgUnit | None, limit: int = 10):
    """The latest 催报 a unit received."""
    if unit is None:
        return Reminder.objects.none()
    return Reminder.objects.filter(unit=unit).select_related("campaign", "sent_by")[:limit]


def _details(user) -> tuple[Prefetch, ...]:
    """What a campaign's description needs, in a fixed number of queries; its recipients only
    those in the user's subtree (``visible_recipients``)."""
    return (
        Prefetch("forms", queryset=CampaignForm.objects.select_related("form_version")),
        Prefetch("recipients", queryset=units_visible_to(user), to_attr="visible_recipients"),
    )


def campaigns_with_details(user) -> QuerySet[Campaign]:
    return campaigns_visible_to(user).select_related("owner").prefetch_related(*_details(user))


def campaign_with_details(user, campaign: Campaign) -> Campaign:
    prefetch_related_objects([campaign], "owner", *_details(user))
    return campaign
