"""A small federation built through the services, shared by the tests (no JSON fixtures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chunfeng.accounts.models import User
from chunfeng.accounts.services import token_create, user_create
from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.services import campaign_create
from chunfeng.formdefs.services import formdefs_sync
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.orgunits.services import orgunit_create

PASSWORD = "test-pass-123"
ROLES = ("filler", "reviewer", "admin", "viewer")


@dataclass
class Federation:
    city: OrgUnit
    zs: OrgUnit  # 中山区
    xg: OrgUnit  # 西岗区
    industry: OrgUnit
    zs_g1: OrgUnit  # a grassroots union under 中山区
    xg_g1: OrgUnit
    campaign: Campaign
    users: dict[str, User] = field(default_factory=dict)

    def user(self, unit: str, role: str) -> User:
        """``fed.user("zs", "filler")``"""
        return self.users[f"{unit}_{role}"]

    def token(self, unit: str, role: str) -> str:
        return token_create(user=self.user(unit, role), name="test")


def build_federation() -> Federation:
    formdefs_sync()
    city = orgunit_create(code="210200", name="大连市总工会", kind=UnitKind.CITY, parent=None)
    zs = orgunit_create(
        code="210202",
        name="中山区总工会",
        kind=UnitKind.COUNTY,
        parent=city,
        contact_person="张三",
        contact_phone="82000001",
    )
    xg = orgunit_create(
        code="210203",
        name="西岗区总工会",
        kind=UnitKind.COUNTY,
        parent=city,
        contact_person="李四",
        contact_phone="82000002",
    )
    industry = orgunit_create(
        code="2102C01", name="大连市机械冶金工会", kind=UnitKind.INDUSTRY, parent=city
    )
    zs_g1 = orgunit_create(
        code="210202001", name="青泥洼桥街道总工会", kind=UnitKind.GRASSROOTS, parent=zs
    )
    xg_g1 = orgunit_create(
        code="210203001", name="八一路街道总工会", kind=UnitKind.GRASSROOTS, parent=xg
    )
    users = {}
    for key, unit in (("city", city), ("zs", zs), ("xg", xg), ("zsg", zs_g1), ("ind", industry)):
        for role in ROLES:
            users[f"{key}_{role}"] = user_create(
                username=f"{key}_{role}", unit=unit, role=role, password=PASSWORD
            )
    campaign = campaign_create(
        owner=city,
        name="2012年春风行动",
        period_start=dt.date(2011, 12, 20),
        period_end=dt.date(2012, 1, 22),
        deadline=dt.date(2012, 1, 8),
        forms={"F1": None, "F2": dt.date(2011, 12, 31)},
        recipients=[zs, xg, industry],
    )
    return Federation(city, zs, xg, industry, zs_g1, xg_g1, campaign, users)


def zeros(definition) -> dict[str, str]:
    """Every blank filled with 0 (否 for yes/no): a report that passes every check."""
    return {code: ("否" if b.type == "yesno" else "0") for code, b in definition.blanks.items()}


def attach_work_report(campaign, unit, user):
    """Upload a small PDF work report for ``unit`` (needed before submitting)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chunfeng.reports.work_reports import work_report_upload

    upload = SimpleUploadedFile("工作报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    return work_report_upload(campaign=campaign, unit=unit, upload=upload, actor=user)


def file_report(
    fed, unit, form: str = "F1", values: dict | None = None, *, submit=True, filler=None
):
    """Fill (all zeros unless given) and optionally submit ``unit``'s report as its filler."""
    from chunfeng.formdefs.loader import latest_builtin
    from chunfeng.reports.selectors import report_slot_for
    from chunfeng.reports.services import report_save
    from chunfeng.reports.workflow import report_submit

    filler = filler or unit.users.get(role="filler")
    campaign = fed.campaign
    slot = report_slot_for(filler, campaign.pk, unit.code, form)
    data = zeros(latest_builtin(form)) | {k: str(v) for k, v in (values or {}).items()}
    report, _outcome = report_save(slot=slot, actor=filler, values=data)
    if submit:
        if not campaign.work_reports.filter(unit=unit).exists():
            attach_work_report(campaign, unit, filler)
        report = report_submit(report=report, actor=filler)
    return report
