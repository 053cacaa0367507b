"""Demo figures for the 2012 campaign: several districts have filed 附件1, so that the city's
completeness page and 汇总 show something real. Figures are consistent with every check."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from chunfeng.core.actors import SYSTEM
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from chunfeng.reports.selectors import report_slot_system
from chunfeng.reports.services import report_save
from chunfeng.reports.work_reports import work_report_upload
from chunfeng.reports.workflow import report_approve, report_submit

BASE_F1 = {
    "01A": 85000, "01A.2": 21000, "02A": 3200, "02A.2": 900, "03A": 1250, "03A.2": 380,
    "03B": 420, "03C": 510, "03D": 290, "03E": 65, "04A": 56, "04A.2": 1180, "04B": 12,
    "04C": 1250, "04C.2": 1250, "04C.3": 380, "04C.4": 18, "05B": "120.0000",
    "05C": "98.5000", "05D": "55.0000", "05E": "13.0000", "06B": "9.2000", "06C": "71.3000",
    "07A": 5400, "07B": 830, "07C": 260, "07D": 1250, "07E": 340, "07F": 210, "07G": 160,
    "07H": 45, "07I": 600, "07I.2": "360000.00", "07J": 120, "08A": 150, "08A.2": 60,
    "08B": 2300, "08B.2": 900, "08C": 120, "08C.2": "85.6000", "08C.3": 95, "08C.4": "70.2000",
    "09": 4000, "09.2": 1500, "09A": 600, "09A.2": 200, "09B": 2500, "09B.2": 1000,
    "09B.3": 12, "09B.4": 8, "09B.5": 300, "09B.6": 2000, "09C": 500, "09C.2": 200,
    "09D": 400, "09D.2": 100, "10A": 3000, "10B": 1, "10B.2": 1200, "10C": 4, "10C.2": 400,
    "10D": 20, "10D.2": 900, "10E": 1, "10E.2": 300, "10F": 0, "10F.2": 0, "10G": 200,
    "11A": "15.5000", "12": 12, "12.2": 360, "12.3": 950, "13": 48, "13.2": 40, "13.3": 12000,
}  # fmt: skip


def scaled(factor: Decimal) -> dict[str, str]:
    """The base figures times ``factor``; totals are recomputed so the checks still pass."""
    definition = latest_builtin("F1")
    out = {}
    for code, value in BASE_F1.items():
        blank = definition.blanks[code]
        number = Decimal(str(value)) * factor
        whole = max(int(number.to_integral_value(ROUND_HALF_UP)), 1 if value else 0)
        out[code] = (
            str(whole)
            if blank.type == "count"
            else str(number.quantize(Decimal("0.0001") if blank.type == "wan" else Decimal("0.01")))
        )
    parts = sum(Decimal(out[c]) for c in ("05B", "05C", "05D", "05E"))
    out["05A"] = out["06A"] = str(parts)
    out["04C.2"], out["04C"] = out["03A"], out["03A"]
    out["09"] = str(sum(int(out[c]) for c in ("09A", "09B", "09C", "09D")))
    out["09.2"] = str(sum(int(out[c]) for c in ("09A.2", "09B.2", "09C.2", "09D.2")))
    return out


DEMO_FILINGS = [  # unit code, scale, final status, first submitted (the deadline is 01-08)
    ("210203", Decimal("0.8"), "submitted", dt.datetime(2012, 1, 9, 10, 30)),
    ("210204", Decimal("1.1"), "approved", dt.datetime(2012, 1, 5, 16, 0)),
    ("210211", Decimal("1.6"), "approved", dt.datetime(2012, 1, 6, 9, 15)),
    ("210213", Decimal("1.3"), "approved", dt.datetime(2012, 1, 8, 17, 45)),
    ("2102C01", Decimal("0.4"), "approved", dt.datetime(2012, 1, 4, 11, 0)),
]


def demo_reports(campaign, users: dict) -> None:
    reviewer = users["city_reviewer"]
    for code, factor, status, submitted in DEMO_FILINGS:
        slot = report_slot_system(campaign.pk, code, "F1")
        report, _ = report_save(
            slot=slot,
            actor=SYSTEM,
            values=scaled(factor),
            header={"filler_name": "演示填报人", "filler_phone": "82610000"},
        )
        upload = ContentFile(
            b"%PDF-1.4\n% demo work report\n", name=f"{slot.unit.name}工作报告.pdf"
        )
        work_report_upload(campaign=campaign, unit=slot.unit, upload=upload, actor=SYSTEM)
        report = report_submit(report=report, actor=SYSTEM)
        when = timezone.make_aware(submitted)  # as if filed in 2012
        Report.objects.filter(pk=report.pk).update(first_submitted_at=when, submitted_at=when)
        if status == "approved":
            report_approve(report=report, actor=reviewer)
    zs = report_slot_system(campaign.pk, "210202", "F1")
    report_save(slot=zs, actor=SYSTEM, values={"01A": "92000", "01A.2": "23500"})
