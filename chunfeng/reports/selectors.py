from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chunfeng.campaigns.models import Campaign, CampaignForm
from chunfeng.campaigns.passdown import deadlines_given_to
from chunfeng.campaigns.selectors import (
    campaign_for,
    campaign_form,
    campaigns_visible_to,
    is_recipient,
    recipients_visible_to,
    reviewing_unit,
)
from chunfeng.core.audit import audit_for
from chunfeng.core.rules import reviews_at_all
from chunfeng.formdefs.checks import Outcome, other_forms, run_checks
from chunfeng.formdefs.schema import FormDefinition
from chunfeng.formdefs.selectors import definition_of
from chunfeng.formdefs.values import Value
from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import unit_for, units_visible_to

from .history import group_blank_saves
from .models import Report, ReportKind, ReportValue


def reports_visible_to(user) -> QuerySet[Report]:
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Report.objects.none()
    return Report.objects.filter(unit__path__startswith=user.unit.path)


@dataclass
class ReportSlot:
    """Where a report lives (campaign, form, unit), whether or not it has been started."""

    campaign: Campaign
    campaign_form: CampaignForm
    unit: OrgUnit
    report: Report | None
    own: bool = False  # the unit's 本级 filing rather than its filed report (合计)
    filed: Report | None = None  # with ``own``: the unit's filed report, which freezes it

    @property
    def definition(self) -> FormDefinition:
        version = self.report.form_version if self.report else self.campaign_form.form_version
        return definition_of(version)

    @property
    def kind(self) -> str:
        return ReportKind.OWN if self.own else ReportKind.FILED

    @property
    def is_final(self) -> bool:
        """The campaign owner's filed report: its final report (合计), frozen on closing."""
        return not self.own and self.unit.pk == self.campaign.owner_id

    @cached_property
    def collects(self) -> bool:
        """Whether reporting units sit below the unit: asked once however many parts of the
        entry page want to know (the page's links, the roll-up's "fill from children")."""
        return collects(self.campaign, self.unit)

    @property
    def open(self) -> bool:
        """Whether the filing may still change (who may change it is the rulebook's)."""
        if self.own:
            return self.filed is None or self.filed.editable
        return self.report is None or self.report.editable


def report_slot_for(
    user, campaign_id: int, unit_code: str, form_code: str, *, own: bool = False
) -> ReportSlot:
    """The one lookup every report page and endpoint uses; 404 outside the user's reach.
    ``own``: the unit's 本级 filing (only a unit that collects reports keeps one).

    Every page and save of a report starts here, so the usual case asks plain queries only:
    the campaign's form with its campaign and owner, the unit in the user's subtree, whether
    it is a recipient. Whether the user sees the campaign (``campaigns_visible_to``) follows
    from those: the owner sits in the user's subtree, or above it with the requested unit (in
    the subtree) a recipient. Anything else takes the scoped lookups, which say what is wrong."""
    cform = (
        CampaignForm.objects.select_related("campaign__owner", "form_version")
        .filter(campaign_id=campaign_id, code=form_code)
        .first()
    )
    unit = units_visible_to(user).filter(code=unit_code).first() if cform else None
    if cform is None or unit is None:
        return _slot_scoped(user, campaign_id, unit_code, form_code, own)
    campaign, here = cform.campaign, user.unit.path
    owner_here = campaign.owner.path.startswith(here)
    recipient = is_recipient(campaign, unit)
    if not (owner_here or (recipient and here.startswith(campaign.owner.path))):
        return _slot_scoped(user, campaign_id, unit_code, form_code, own)
    return _slot(campaign, unit, cform, own, recipient=recipient)


def _slot_scoped(user, campaign_id: int, unit_code: str, form_code: str, own: bool) -> ReportSlot:
    campaign = campaign_for(user, campaign_id)
    return _slot(campaign, unit_for(user, unit_code), campaign_form(campaign, form_code), own)


def report_slot_system(
    campaign_id: int, unit_code: str, form_code: str, *, own: bool = False
) -> ReportSlot:
    """The same lookup for the command line, which acts for the system with no user scope."""
    try:
        campaign = Campaign.objects.get(pk=campaign_id)
        unit = OrgUnit.objects.get(code=unit_code)
    except (Campaign.DoesNotExist, OrgUnit.DoesNotExist):
        raise Http404(
            _("没有编号为 %(campaign_id)s 的活动或代码为 %(unit_code)s 的单位")
            % {"campaign_id": campaign_id, "unit_code": unit_code}
        ) from None
    return _slot(campaign, unit, campaign_form(campaign, form_code), own)


def collects(campaign: Campaign, unit: OrgUnit) -> bool:
    """Whether reporting units of the campaign sit below ``unit`` (it collects their reports)."""
    below = campaign.recipients.filter(path__startswith=unit.path).exclude(pk=unit.pk)
    return below.exists()


def _slot(
    campaign: Campaign,
    unit: OrgUnit,
    cform: CampaignForm,
    own: bool = False,
    *,
    recipient: bool | None = None,
) -> ReportSlot:
    """A recipient's report; the owner's is its final report. A 本级 filing only where the
    unit collects reports from below. ``recipient``: already known (else asked)."""
    is_owner = unit.pk == campaign.owner_id
    if recipient is None:
        recipient = is_recipient(campaign, unit)
    if not is_owner and not recipient:
        raise Http404(
            _("%(unit)s不是活动“%(campaign)s”的报送单位")
            % {"unit": unit.name, "campaign": campaign.name}
        )
    filings = {
        r.kind: r
        for r in Report.all_kinds.select_related("updated_by").filter(
            campaign_form=cform, unit=unit
        )
    }
    for filing in filings.values():  # already in hand: no query when a caller follows these
        cform.campaign, filing.campaign_form, filing.unit = campaign, cform, unit
        if filing.form_version_id == cform.form_version_id:  # nearly always: not read twice
            filing.form_version = cform.form_version
    slot = ReportSlot(
        campaign=campaign,
        campaign_form=cform,
        unit=unit,
        report=filings.get(ReportKind.OWN if own else ReportKind.FILED),
        own=own,
        filed=filings.get(ReportKind.FILED),
    )
    if own and not slot.collects:
        raise Http404(_("%(unit)s下面没有报送单位，不单独填报本级数字") % {"unit": unit.name})
    return slot


def report_values(report: Report | None, definition: FormDefinition) -> dict[str, Value]:
    if report is None:
        return {}
    values: dict[str, Value] = {}
    for code, raw in ReportValue.objects.filter(report_id=report.pk).values_list("code", "value"):
        blank = definition.blanks.get(code)
        if blank is None:
            continue
        if blank.type == "count":
            values[code] = int(raw)
        elif blank.type == "yesno":
            values[code] = bool(raw)
        else:
            values[code] = raw
    return values


def other_forms_values(
    definition: FormDefinition, campaign_id: int, unit: OrgUnit, *, own: bool = False
) -> dict[str, dict[str, Value]]:
    """The saved values of the unit's other reports in the campaign that the definition's
    checks read (``{F2:08K}``), by form code; no query when no check reads another form.
    Like with like: a 本级 filing is checked against the unit's other 本级 filings, a filed
    report (合计) against its other filed reports."""
    forms = other_forms(definition)
    if not forms:
        return {}
    found: dict[str, dict[str, Value]] = {}
    rows = ReportValue.objects.filter(
        report__campaign_form__campaign_id=campaign_id,
        report__campaign_form__code__in=forms,
        report__unit=unit,
        report__kind=ReportKind.OWN if own else ReportKind.FILED,
    ).values_list("report__campaign_form__code", "code", "value")
    for form, code, value in rows:
        found.setdefault(form, {})[code] = value
    return found


def report_checks(
    definition: FormDefinition,
    values: Mapping[str, Value],
    *,
    campaign_id: int,
    unit: OrgUnit,
    own: bool = False,
) -> Outcome:
    """The definition's checks over a report's values, those spanning forms included (read
    from the unit's filings of the same kind: 本级 with 本级, 合计 with 合计)."""
    others = other_forms_values(definition, campaign_id, unit, own=own)
    return run_checks(definition, values, others)


def review_queue(user) -> list[Report]:
    """Submitted reports waiting for this reviewer: those whose reviewing unit is theirs."""
    if not reviews_at_all(user):
        return []
    candidates = (
        reports_visible_to(user)
        .filter(status="submitted")
        .exclude(unit=user.unit)
        .select_related("unit", "campaign_form__campaign", "form_version")
        .order_by("submitted_at")
    )
    return [
        r
        for r in candidates
        if (ru := reviewing_unit(r.campaign_form.campaign, r.unit)) is not None
        and ru.pk == user.unit_id
    ]


def report_grid(user, campaign: Campaign) -> list[dict]:
    """Rows of (unit, [(campaign form, report or None)]) for the recipients the user sees."""
    forms = list(campaign.forms.select_related("form_version"))
    units = list(recipients_visible_to(user, campaign))
    reports = {
        (r.unit_id, r.campaign_form_id): r
        for r in Report.objects.filter(campaign_form__in=forms, unit__in=units)
    }
    return [{"unit": u, "cells": [(f, reports.get((u.pk, f.pk))) for f in forms]} for u in units]


def todo_for(user) -> list[dict]:
    """The reports the user's own unit owes, per visible campaign, with their state."""
    if user.unit_id is None:
        return []
    campaigns = campaigns_visible_to(user).filter(recipients=user.unit)
    forms = list(
        CampaignForm.objects.filter(campaign__in=campaigns)
        .select_related("campaign", "form_version")
        .order_by("-campaign__period_start", "-campaign_id", "code")
    )
    reports = {
        r.campaign_form_id: r
        for r in Report.objects.filter(campaign_form__in=forms, unit=user.unit)
    }
    given = deadlines_given_to(user.unit, {f.campaign_id for f in forms})
    return [
        {
            "campaign": f.campaign,
            "form": f,
            "report": reports.get(f.pk),
            "deadline": given.get(f.campaign_id, f.campaign.deadline),
        }
        for f in forms
    ]


def report_of(campaign_form: CampaignForm, unit: OrgUnit) -> Report | None:
    """The unit's report of a campaign form, if it has started one."""
    return (
        Report.objects.select_related("form_version")
        .filter(campaign_form=campaign_form, unit=unit)
        .first()
    )


HISTORY_PAGE = 10  # events per page of a report's history


@dataclass
class HistoryPage:
    """One page of a report's history, newest first: ``number`` counts from 1."""

    events: list
    number: int
    has_older: bool

    @property
    def older(self) -> int:
        return self.number + 1

    @property
    def newer(self) -> int:
        return self.number - 1


def report_history(report: Report | None, number: int = 1) -> HistoryPage:
    """A page of the report's history: one query of ``HISTORY_PAGE + 1`` rows (the extra row
    only says whether an older page exists), however long the history is. One user's blank
    saves in one sitting show as one row (``history.group_blank_saves``); a sitting that spans
    two pages shows as one row on each."""
    number = max(number, 1)
    if report is None:
        return HistoryPage([], 1, False)
    start = (number - 1) * HISTORY_PAGE
    events = list(audit_for(report)[start : start + HISTORY_PAGE + 1])
    rows = group_blank_saves(events[:HISTORY_PAGE])
    return HistoryPage(rows, number, len(events) > HISTORY_PAGE)


def campaign_closed(campaign: Campaign) -> bool:
    """Whether the campaign has ended: its owner's final reports frozen (approved), one query."""
    finals = Report.objects.filter(
        campaign_form__campaign=campaign, unit_id=campaign.owner_id, status="approved"
    )
    return finals.count() >= campaign.forms.count() > 0
