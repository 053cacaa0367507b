"""表实相符: the figures of 附件1 that the real-name records answer, computed for any unit's
subtree, and their differences from what a report says."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from chunfeng.core.audit import audit_record
from chunfeng.formdefs.values import format_value
from chunfeng.funds.models import AidType, PaymentLine, Receipt, Source, Visit, VisitKind
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.models import Household, HouseholdStatus
from chunfeng.reports.selectors import report_values
from chunfeng.reports.services import report_save

DERIVED_FORM = "F1"
WAN = Decimal("0.0001")


def _wan(yuan) -> Decimal:
    return (Decimal(yuan or 0) / 10000).quantize(WAN, rounding=ROUND_HALF_UP)


def _on_file(campaign, unit: OrgUnit):
    """Households on file at the end of the activity period."""
    return Household.objects.filter(unit__path__startswith=unit.path).filter(
        Q(status=HouseholdStatus.ACTIVE) | Q(escaped_on__gt=campaign.period_end)
    )


def _register(campaign, unit) -> dict:
    on_file = _on_file(campaign, unit).aggregate(
        a=Count("pk"), a2=Count("pk", filter=Q(is_migrant=True)),
        b=Count("pk", filter=Q(category="B")), c=Count("pk", filter=Q(category="C")),
        d=Count("pk", filter=Q(category="D")),
    )  # fmt: skip
    escaped = Household.objects.filter(
        unit__path__startswith=unit.path, escaped_on__year=campaign.period_start.year
    ).count()
    return {"03A": on_file["a"], "03A.2": on_file["a2"], "03B": on_file["b"],
            "03C": on_file["c"], "03D": on_file["d"], "03E": escaped}  # fmt: skip


def _visits(campaign, unit) -> dict:
    visits = Visit.objects.filter(campaign=campaign, unit__path__startswith=unit.path)
    enterprise = visits.filter(kind=VisitKind.ENTERPRISE)
    visited = set(visits.filter(kind=VisitKind.HOUSEHOLD).values_list("household_id", flat=True))
    paid = set(_lines(campaign, unit).values_list("household_id", flat=True))
    helped = Household.objects.filter(pk__in=visited | paid).aggregate(
        c=Count("pk"), migrant=Count("pk", filter=Q(is_migrant=True)),
        model=Count("pk", filter=Q(is_model_worker=True)),
    )  # fmt: skip
    return {"04A": enterprise.count(), "04A.2": len(visited),
            "04B": enterprise.filter(is_hardship_enterprise=True).count(),
            "04C": helped["c"], "04C.2": helped["c"], "04C.3": helped["migrant"],
            "04C.4": helped["model"]}  # fmt: skip


def _receipts(campaign, unit) -> dict:
    rows = dict(
        Receipt.objects.filter(campaign=campaign, unit__path__startswith=unit.path)
        .values_list("source").annotate(total=Sum("amount")).values_list("source", "total")
    )  # fmt: skip
    by_code = {"05B": Source.GOVERNMENT, "05C": Source.UNION, "05D": Source.DONATION,
               "05E": Source.OTHER}  # fmt: skip
    values = {code: _wan(rows.get(source)) for code, source in by_code.items()}
    values["05A"] = _wan(sum((Decimal(v) for v in rows.values()), Decimal(0)))
    return values


def _lines(campaign, unit):
    return PaymentLine.objects.filter(
        campaign=campaign, unit__path__startswith=unit.path, cancelled=False
    )


def _payments(campaign, unit) -> dict:
    lines = _lines(campaign, unit)
    totals = lines.aggregate(
        all=Sum("amount"), model=Sum("amount", filter=Q(household__is_model_worker=True)),
        migrant=Sum("amount", filter=Q(household__is_migrant=True)),
        heating=Sum("amount", filter=Q(aid_type=AidType.HEATING)),
    )  # fmt: skip
    counts = dict(
        lines.values_list("aid_type").annotate(n=Count("pk")).values_list("aid_type", "n")
    )
    heated = lines.filter(aid_type=AidType.HEATING).values("household_id").distinct().count()
    return {
        "06A": _wan(totals["all"]), "06B": _wan(totals["model"]), "06C": _wan(totals["migrant"]),
        "07D": counts.get(AidType.LIVING, 0), "07F": counts.get(AidType.MEDICAL, 0),
        "07G": counts.get(AidType.SCHOOLING, 0), "07H": counts.get(AidType.LEGAL, 0),
        "07I": heated,
        "07I.2": Decimal(totals["heating"] or 0).quantize(Decimal("0.01")),
    }  # fmt: skip


def record_kinds(campaign, unit: OrgUnit) -> dict[str, bool]:
    """Which kinds of real-name records ``unit``'s subtree keeps for the campaign."""
    below = {"unit__path__startswith": unit.path}
    return {
        "register": Household.objects.filter(**below).exists(),
        "visits": Visit.objects.filter(campaign=campaign, **below).exists(),
        "receipts": Receipt.objects.filter(campaign=campaign, **below).exists(),
        "payments": PaymentLine.objects.filter(campaign=campaign, **below).exists(),
    }


def derived_figures(campaign, unit: OrgUnit) -> dict[str, int | Decimal]:
    """附件1 blanks computed from the register, visits, receipts and payments of ``unit``'s
    subtree for ``campaign`` — only for the kinds of records the subtree keeps: a union that
    keeps no register yet is not told that every figure differs from zero."""
    kinds = record_kinds(campaign, unit)
    figures: dict[str, int | Decimal] = {}
    if kinds["register"]:
        figures |= _register(campaign, unit)
    if kinds["visits"] or kinds["payments"]:
        figures |= _visits(campaign, unit)
    if kinds["receipts"]:
        figures |= _receipts(campaign, unit)
    if kinds["payments"]:
        figures |= _payments(campaign, unit)
    return figures


@dataclass(frozen=True)
class Difference:
    code: str
    label: str
    reported: object
    recorded: object


def differences(definition, reported: dict, recorded: dict) -> list[Difference]:
    """Blanks where the report (or 汇总) and the records disagree; empty blanks are not compared."""
    return [
        Difference(code, definition.blanks[code].label, reported[code], value)
        for code, value in recorded.items()
        if code in definition.blanks and reported.get(code) is not None
        and Decimal(reported[code]) != Decimal(value)
    ]  # fmt: skip


def report_take_derived(*, slot, actor):
    """Take the record-based figures into a unit's draft; the other blanks keep their values."""
    definition = slot.definition
    current = report_values(slot.report, definition)
    recorded = derived_figures(slot.campaign, slot.unit)
    merged = {**current, **{c: v for c, v in recorded.items() if c in definition.blanks}}
    texts = {c: format_value(definition.blanks[c], v) for c, v in merged.items()}
    report, outcome = report_save(slot=slot, actor=actor, values=texts)
    audit_record(actor=actor, action="report.take_derived", target=report,
                 codes=sorted(recorded))  # fmt: skip
    return report, outcome
