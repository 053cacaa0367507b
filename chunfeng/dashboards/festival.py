"""春节 (the first day of the lunar year) for the countdown on the home page.

A campaign may carry its own date (another change adds one computed with a lunar-calendar
library); until it does, the date comes from this table of the published dates. Switch
``spring_festival`` to the campaign's field when it exists; nothing else asks for the date."""

from __future__ import annotations

import datetime as dt

# 农历正月初一, as published (Purple Mountain Observatory tables)
SPRING_FESTIVAL = {
    2010: dt.date(2010, 2, 14),
    2011: dt.date(2011, 2, 3),
    2012: dt.date(2012, 1, 23),
    2013: dt.date(2013, 2, 10),
    2014: dt.date(2014, 1, 31),
    2015: dt.date(2015, 2, 19),
    2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28),
    2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}


def next_spring_festival(on: dt.date) -> dt.date | None:
    """The first 春节 on or after ``on`` (None past the table)."""
    for year in (on.year, on.year + 1):
        day = SPRING_FESTIVAL.get(year)
        if day is not None and day >= on:
            return day
    return None


def spring_festival(campaign) -> dt.date | None:
    """The 春节 a campaign works towards: the campaign's own date when it has one, else the
    first 春节 on or after the campaign's start."""
    own = getattr(campaign, "spring_festival", None)
    if isinstance(own, dt.date):
        return own
    return next_spring_festival(campaign.period_start)
