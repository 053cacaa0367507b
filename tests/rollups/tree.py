"""A province above the city, in one deployment: province → city → district → grassroots, and
an industrial union with a grassroots union under the city. One campaign of the province's
reaches every level (recipients set directly: passing a campaign down is not this test's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chunfeng.accounts.models import User
from chunfeng.accounts.services import token_create, user_create
from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.services import campaign_create
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.formdefs.services import formdefs_sync
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.orgunits.services import orgunit_create
from chunfeng.reports.selectors import report_slot_for
from chunfeng.reports.services import report_save
from chunfeng.reports.workflow import report_approve, report_submit
from chunfeng.rollups.services import report_fill_from_children
from tests.fixtures import PASSWORD, ROLES, attach_work_report, zeros


@dataclass
class Tree:
    province: OrgUnit
    city: OrgUnit
    district: OrgUnit
    grassroots: list[OrgUnit]
    industry: OrgUnit
    industry_grassroots: OrgUnit
    campaign: Campaign
    users: dict[str, User] = field(default_factory=dict)

    def user(self, unit: OrgUnit, role: str) -> User:
        return self.users[f"{unit.code}_{role}"]

    def token(self, unit: OrgUnit, role: str) -> str:
        return token_create(user=self.user(unit, role), name="test")


def build_tree() -> Tree:
    formdefs_sync()
    province = orgunit_create(
        code="210000", name="辽宁省总工会", kind=UnitKind.PROVINCE, parent=None
    )
    city = orgunit_create(code="210200", name="大连市总工会", kind=UnitKind.CITY, parent=province)
    district = orgunit_create(code="210202", name="中山区总工会", kind=UnitKind.COUNTY, parent=city)
    g1 = orgunit_create(
        code="210202001", name="青泥洼桥街道总工会", kind=UnitKind.GRASSROOTS, parent=district
    )
    g2 = orgunit_create(
        code="210202002", name="人民路街道总工会", kind=UnitKind.GRASSROOTS, parent=district
    )
    industry = orgunit_create(
        code="2102C01", name="大连市机械冶金工会", kind=UnitKind.INDUSTRY, parent=city
    )
    ig = orgunit_create(
        code="2102C01001", name="大连重工工会", kind=UnitKind.GRASSROOTS, parent=industry
    )
    users = {}
    for unit in (province, city, district, g1, g2, industry, ig):
        for role in ROLES:
            users[f"{unit.code}_{role}"] = user_create(
                username=f"u{unit.code}_{role}", unit=unit, role=role, password=PASSWORD
            )
    campaign = campaign_create(
        owner=province,
        name="2012年全省送温暖",
        period_start=dt.date(2011, 12, 20),
        period_end=dt.date(2012, 1, 22),
        deadline=dt.date(2012, 1, 8),
        forms={"F1": None},
        recipients=[city, district, g1, g2, industry, ig],
    )
    return Tree(province, city, district, [g1, g2], industry, ig, campaign, users)


def figures(workers: int, migrants: int, money: str, households: int) -> dict[str, str]:
    """F1 with these figures (zeros elsewhere) that pass every check: 05A all 其他收入, all paid."""
    values = zeros(latest_builtin("F1"))
    values |= {"01A": str(workers), "01A.2": str(migrants), "04C": str(households)}
    return values | {"05A": money, "05E": money, "06A": money}


def save(tree: Tree, unit: OrgUnit, values: dict, *, own: bool = False):
    filler = tree.user(unit, "filler")
    slot = report_slot_for(filler, tree.campaign.pk, unit.code, "F1", own=own)
    return report_save(slot=slot, actor=filler, values=values)[0]


def submit(tree: Tree, report):
    filler = tree.user(report.unit, "filler")
    attach_work_report(tree.campaign, report.unit, filler)
    return report_submit(report=report, actor=filler)


def approve(tree: Tree, report, reviewer_unit: OrgUnit):
    return report_approve(report=report, actor=tree.user(reviewer_unit, "reviewer"))


def fill(tree: Tree, unit: OrgUnit):
    """The unit's report filled with its 合计 (本级 + the approved reports below)."""
    filler = tree.user(unit, "filler")
    slot = report_slot_for(filler, tree.campaign.pk, unit.code, "F1")
    return report_fill_from_children(slot=slot, actor=filler)[0]
