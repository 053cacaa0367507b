from __future__ import annotations

from pathlib import Path

from django.db import transaction

from chunfeng.accounts.services import user_create
from chunfeng.campaigns.services import campaign_create
from chunfeng.formdefs.services import formdefs_sync
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.orgunits.services import orgunit_create

from . import data
from .applications import demo_applications
from .cases import demo_cases
from .own import demo_own_figures
from .register import demo_register
from .reports import demo_reports


def demo_needed() -> bool:
    return not OrgUnit.objects.exists()


@transaction.atomic
def demo_load() -> None:
    """Load the demo federation into an empty database."""
    formdefs_sync()
    city = orgunit_create(
        code=data.CITY[0],
        name=data.CITY[1],
        kind=UnitKind.CITY,
        parent=None,
        contact_person="由伟",
        contact_phone="82610422",
    )
    units = {city.code: city}
    for code, name in data.COUNTIES:
        units[code] = orgunit_create(
            code=code,
            name=name,
            kind=UnitKind.COUNTY,
            parent=city,
            contact_person=name[:-3] + "联系人",
            contact_phone="8261" + code[-4:],
        )
    for code, name in data.INDUSTRIES:  # contacts like the districts', for the overdue list
        units[code] = orgunit_create(
            code=code,
            name=name,
            kind=UnitKind.INDUSTRY,
            parent=city,
            contact_person=name[3:-2] + "工会联系人",
            contact_phone="826300" + code[-2:],
        )
    for code, name, parent in data.GRASSROOTS:
        units[code] = orgunit_create(
            code=code, name=name, kind=UnitKind.GRASSROOTS, parent=units[parent]
        )
    users = {}
    for username, unit, role, full_name in data.USERS:
        users[username] = user_create(
            username=username,
            unit=units[unit],
            role=role,
            password=data.DEMO_PASSWORD,
            full_name=full_name,
        )
    c = data.CAMPAIGN
    campaign = campaign_create(
        owner=city,
        name=c["name"],
        period_start=c["period_start"],
        period_end=c["period_end"],
        deadline=c["deadline"],
        forms=c["forms"],
        recipients=[u for u in units.values() if u.kind in (UnitKind.COUNTY, UnitKind.INDUSTRY)],
        notice=(Path(__file__).parent / "notice_2012.txt").read_text(encoding="utf-8"),
    )
    demo_reports(campaign, users)
    demo_own_figures(campaign, users, units)
    demo_register(campaign, users, units)
    demo_applications(users, units)  # the standards, before a case files an application
    demo_cases(campaign, users, units)


def demo_credentials() -> list[tuple[str, str, str, str]]:
    names = dict(data.COUNTIES + data.INDUSTRIES + [data.CITY])
    names.update({c: n for c, n, _p in data.GRASSROOTS})
    return [(u, data.DEMO_PASSWORD, names[unit], role) for u, unit, role, _n in data.USERS]
