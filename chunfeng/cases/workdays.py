"""Working days: China's statutory holidays and make-up working days (调休).

The ``chinese-calendar`` package knows each year from 2004 to the year of its release, and
refuses the others (``NotImplementedError``): the State Council publishes a year's holidays only
late in the year before. ``CalendarDay`` rows, kept by the administrators on the settings page,
fill that gap and win over the package wherever they exist (a correction); a day neither knows
is a working day from Monday to Friday.

A time limit of N working days from a day D ends on the N-th working day after D: the day a
case is received is not counted, and a case received on a holiday starts counting on the next
working day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import chinese_calendar

from .models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


def package_knows(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def package_years() -> tuple[int, int]:
    """The first and last year the installed calendar package knows."""
    known = [y for y in range(2000, dt.date.today().year + 3) if package_knows(dt.date(y, 6, 1))]
    return (known[0], known[-1]) if known else (0, 0)


class Calendar:
    """One reading of the overrides per year asked about, then pure computation."""

    def __init__(self, overrides: Iterable[CalendarDay] | None = None):
        self._years: set[int] = set()
        self._days: dict[dt.date, bool] = {}
        if overrides is not None:  # given (tests, previews): no database
            self._days = {o.day: o.is_workday for o in overrides}
            self._years = set(range(1900, 2200))

    def _load(self, year: int) -> None:
        if year in self._years:
            return
        rows = CalendarDay.objects.filter(day__year=year).values_list("day", "is_workday")
        self._days.update(dict(rows))
        self._years.add(year)

    def is_workday(self, day: dt.date) -> bool:
        self._load(day.year)
        if day in self._days:
            return self._days[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    def add(self, start: dt.date, workdays: int) -> dt.date:
        """The ``workdays``-th working day after ``start`` (``start`` itself when 0)."""
        day, left = start, workdays
        while left > 0:
            day += ONE_DAY
            if self.is_workday(day):
                left -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not
        later): how many working days are left from ``start`` until a limit ``end``."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count
