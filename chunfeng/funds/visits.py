"""走访慰问: visits of an enterprise or of a household on file, recorded by a unit in a campaign."""

from __future__ import annotations

from django.db import transaction

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.idnumbers import InvalidIdNumber, parse_id
from chunfeng.core.personal import mask_id

from .models import Visit, VisitKind
from .parsing import checked, choice, clip, invalid, parse_date
from .services import household_on_file, require_campaign, require_writer


@transaction.atomic
def visit_create(
    *,
    unit,
    campaign,
    kind: str,
    visited_on,
    visitors: str,
    actor,
    id_number: str = "",
    enterprise: str = "",
    is_hardship_enterprise: bool = False,
    note: str = "",
) -> Visit:
    """走访慰问: an enterprise (by name) or a household (by the worker's ID number)."""
    require_writer(actor, unit, f"为{unit.name}登记走访")
    require_campaign(actor, campaign)
    kind = checked("kind", choice, kind, VisitKind, "走访类别")
    visited_on = checked("visited_on", parse_date, visited_on, label="走访日期")
    visitors = clip(visitors, 200)
    if not visitors:
        invalid("visitors", "请填写走访人（例如：主席 王某、副主席 李某）")
    household, enterprise = None, clip(enterprise, 128)
    if kind == VisitKind.HOUSEHOLD:
        try:
            household = household_on_file(actor, parse_id(id_number).number)
        except (InvalidIdNumber, ValueError) as exc:
            invalid("id_number", str(exc))
        enterprise, is_hardship_enterprise = "", False
    elif not enterprise:
        invalid("enterprise", "走访企业请填写企业名称")
    visit = Visit.objects.create(
        unit=unit,
        campaign=campaign,
        kind=kind,
        household=household,
        enterprise=enterprise,
        is_hardship_enterprise=bool(is_hardship_enterprise),
        visited_on=visited_on,
        visitors=visitors,
        note=clip(note, 200),
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="visit.create",
        target=visit,
        unit=unit.code,
        kind=kind,
        household=mask_id(household.id_number) if household else "",
    )
    return visit
