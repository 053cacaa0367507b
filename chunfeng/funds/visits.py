"""走访慰问: visits of an enterprise (by name, and by its unified social credit code when it is
a 困难企业), of a household on file, or of a person who is not (a 劳模 or 先进, a 一线职工 or
农民工 on duty: ``VisitKind.PERSON``), recorded by a unit in a campaign within its activity
period."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.idnumbers import InvalidIdNumber, clean_uscc, parse_id
from chunfeng.core.personal import mask_id, search_token

from .models import ON_FILE, Recipient, Visit, VisitKind
from .parsing import checked, choice, clip, invalid, parse_date
from .recipients import household_on_file, recipient_named, require_in_period
from .services import require_campaign, require_writer


def _enterprise(enterprise: str, code: str, hardship: bool) -> tuple[str, str]:
    enterprise = clip(enterprise, 128)
    if not enterprise:
        invalid("enterprise", "走访企业请填写企业名称")
    code = str(code or "").strip()
    if hardship and not code:
        invalid("enterprise_code", "慰问困难企业请填写统一社会信用代码（实名统计，不重复）")
    return enterprise, checked("enterprise_code", clean_uscc, code) if code else ""


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
    enterprise_code: str = "",
    is_hardship_enterprise: bool = False,
    recipient: str = "",
    person_name: str = "",
    note: str = "",
) -> Visit:
    """走访慰问: an enterprise, a household (by the worker's ID number) or a person (by ID
    number and name, of a kind not on file)."""
    require_writer(actor, unit, _("为%(unit)s登记走访") % {"unit": unit.name})
    require_campaign(actor, campaign)
    kind = checked("kind", choice, kind, VisitKind, "走访类别")
    visited_on = checked("visited_on", parse_date, visited_on, label="走访日期")
    require_in_period(campaign, visited_on, "visited_on", "走访日期")
    visitors = clip(visitors, 200)
    if not visitors:
        invalid("visitors", "请填写走访人（例如：主席 王某、副主席 李某）")
    household, code, named = None, "", None
    if kind == VisitKind.HOUSEHOLD:
        try:
            household = household_on_file(actor, parse_id(id_number).number)
        except (InvalidIdNumber, ValueError) as exc:
            invalid("id_number", str(exc))
        enterprise, is_hardship_enterprise = "", False
    elif kind == VisitKind.PERSON:
        if recipient in (*ON_FILE, Recipient.ENTERPRISE) or not recipient:
            invalid("recipient", "走访慰问个人请选择：劳模先进、一线职工或其他职工")
        named = recipient_named(actor, recipient=recipient, number=id_number, name=person_name)
        enterprise, is_hardship_enterprise = "", False
    else:
        enterprise, code = _enterprise(enterprise, enterprise_code, bool(is_hardship_enterprise))
    visit = Visit.objects.create(
        unit=unit,
        campaign=campaign,
        kind=kind,
        household=household,
        enterprise=enterprise,
        enterprise_code=code,
        is_hardship_enterprise=bool(is_hardship_enterprise),
        recipient=named.recipient if named else "",
        person_name=named.name if named else "",
        id_number=named.id_number if named else "",
        id_token=search_token("id", named.id_number) if named else "",
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
        person=mask_id(named.id_number) if named else "",
        enterprise_code=code,
    )
    return visit
