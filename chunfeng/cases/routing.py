"""Where a case goes (分级主办): the union responsible for the place, by its region code, or
else for the employer, by the region code inside its unified social credit code; each at the
level of a county (区市县) union, which handles it or passes it to a union below. Unit codes
of the county and city unions are their region codes (GB/T 2260), as the union tree keeps
them."""

from __future__ import annotations

import re

from chunfeng.orgunits.models import OrgUnit

# GB 32100-2015: 18 characters of this alphabet (no I, O, S, V, Z), the last a check character
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REGION = re.compile(r"\d{6}(\d{3}(\d{3})?)?")


def uscc_check(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def clean_uscc(raw: str) -> str:
    """The code upper-cased, or ValueError saying what is wrong."""
    text = re.sub(r"\s", "", str(raw or "")).upper()
    if len(text) != 18 or any(c not in USCC_CHARS for c in text):
        raise ValueError(f"统一社会信用代码“{raw}”应为 18 位数字或大写字母（不含 I、O、S、V、Z）")
    if uscc_check(text[:17]) != text[17]:
        raise ValueError(f"统一社会信用代码“{raw}”的校验码不正确（可能有字符录错）")
    return text


def employer_region(code: str) -> str:
    """The registering authority's region code inside a unified social credit code."""
    return code[2:8] if len(code) == 18 else ""


def clean_region(raw: str) -> str:
    text = re.sub(r"\s", "", str(raw or ""))
    if text and not REGION.fullmatch(text):
        raise ValueError(f"地区代码“{raw}”应为 6 位（区县）、9 位（街道乡镇）或 12 位数字")
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
