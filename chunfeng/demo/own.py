"""Demo of 本级 beside 合计: 中山区 collects from two street unions and keeps its own figures,
the city keeps its own, the 机械冶金工会 (产业) reports workers that 甘井子区 etc. (属地) count
too — so the 汇总 shows the 属地-only rule at work — and the city passes money down to 中山区
(上级下拨), raised once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from chunfeng.core.actors import SYSTEM
from chunfeng.funds.receipts import receipt_create
from chunfeng.reports.selectors import report_slot_system
from chunfeng.reports.services import report_save
from chunfeng.reports.work_reports import work_report_upload
from chunfeng.reports.workflow import report_approve, report_submit

from .reports import scaled

STREETS = [("210202001", Decimal("0.05")), ("210202002", Decimal("0.04"))]
OWN = [("210202", Decimal("0.02")), ("210200", Decimal("0.1"))]  # 本级 figures


def demo_own_figures(campaign, users: dict, units: dict) -> None:
    campaign.recipients.add(*(units[code] for code, _f in STREETS))
    for code, factor in STREETS:  # filed and approved by 中山区
        slot = report_slot_system(campaign.pk, code, "F1")
        report, _ = report_save(slot=slot, actor=SYSTEM, values=scaled(factor))
        upload = ContentFile(b"%PDF-1.4\n% demo\n", name=f"{slot.unit.name}工作报告.pdf")
        work_report_upload(campaign=campaign, unit=slot.unit, upload=upload, actor=SYSTEM)
        report_approve(
            report=report_submit(report=report, actor=SYSTEM), actor=users["zs_reviewer"]
        )
    for code, factor in OWN:
        slot = report_slot_system(campaign.pk, code, "F1", own=True)
        report_save(
            slot=slot,
            actor=SYSTEM,
            values=scaled(factor),
            header={"filler_name": "演示填报人", "filler_phone": "82610000"},
        )
    receipt_create(
        unit=units["210202"],
        campaign=campaign,
        source="allocation",
        from_unit=units["210200"],
        amount="50000",
        received_on=dt.date(2011, 12, 26),
        note="市总工会下拨春节慰问资金",
        actor=SYSTEM,
    )
