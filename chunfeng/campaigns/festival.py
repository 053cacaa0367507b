"""春节 of a campaign: the first day of the lunar year, computed with the maintained
``lunardate`` library (never typed in), and the seed's activity period "至春节前" — up to the
day before it.

A 送温暖 campaign runs over 元旦 and 春节: the festival a campaign is about is the first 春节
on or after the day its activity starts (a campaign starting on 2011-12-20 is about 2012-01-23).
"""

from __future__ import annotations

import datetime as dt

from lunardate import LunarDate


def spring_festival(year: int) -> dt.date:
    """正月初一 of the lunar year that begins in ``year``."""
    return LunarDate(year, 1, 1).to_solar_date()


def festival_after(day: dt.date) -> dt.date:
    """The first 春节 on or after ``day``."""
    festival = spring_festival(day.year)
    return festival if festival >= day else spring_festival(day.year + 1)


def period_end_proposed(start: dt.date) -> dt.date:
    """ "至春节前": the day before the 春节 that follows ``start``."""
    return festival_after(start) - dt.timedelta(days=1)
