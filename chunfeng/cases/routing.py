"""Where a case goes (分级主办): the union responsible for the place, by its region code, or
else for the employer, by the region code inside its unified social credit code; each at the
level of a county (区市县) union, which handles it or passes it to a union below. Unit codes
of the county and city unions are their region codes (GB/T 2260), as the union tree keeps
them."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# re-exported for the cases' callers: the check lives in core.idnumbers (funds uses it too)
from chunfeng.core.idnumbers import clean_uscc as clean_uscc
from chunfeng.orgunits.models import OrgUnit

REGION = re.compile(r"\d{6}(\d{3}(\d{3})?)?")


def employer_region(code: str) -> str:
    """The registering authority's region code inside a unified social credit code."""
    return code[2:8] if len(code) == 18 else ""


def clean_region(raw: str) -> str:
    text = re.sub(r"\s", "", str(raw or ""))
    if text and not REGION.fullmatch(text):
        raise ValueError(
            _("地区代码“%(raw)s”应为 6 位（区县）、9 位（街道乡镇）或 12 位数字") % {"raw": raw}
        )
    return text


def county_of(region: str) -> str:
    return region[:6]


def responsible_unit(region: str, employer_code: str = "") -> OrgUnit | None:
    """The active union for the place's region, else for the employer's; the county's union
    first, then the city's (``2102xx`` → ``210200``). None when no union has that code."""
    for code in (region, employer_region(employer_code)):
        if not code:
            continue
        for candidate in (code[:6], code[:4] + "00"):
            unit = OrgUnit.objects.filter(code=candidate, active=True).first()
            if unit is not None:
                return unit
    return None


def crosses_regions(region: str, employer_code: str) -> bool:
    """The place and the employer's registration lie in different counties (跨地区)."""
    other = employer_region(employer_code)
    return bool(region and other and county_of(region) != county_of(other))
