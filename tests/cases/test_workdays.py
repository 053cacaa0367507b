"""Working days with China's statutory holidays and make-up working days, and the days the
administrators set for the years the calendar package does not know."""

import datetime as dt

import pytest

from chunfeng.cases.models import CalendarDay
from chunfeng.cases.workdays import Calendar, package_knows

D = dt.date


def test_the_2012_spring_festival_holiday_and_its_make_up_days(db):
    cal = Calendar()
    # 1月21日（周六）、29日（周日）调休上班；22日至28日放假
    assert cal.is_workday(D(2012, 1, 21)) and cal.is_workday(D(2012, 1, 29))
    assert not any(cal.is_workday(D(2012, 1, d)) for d in range(22, 29))
    # received Friday 20 January: 3 working days are 21, 29 and 30 January
    assert cal.add(D(2012, 1, 20), 1) == D(2012, 1, 21)
    assert cal.add(D(2012, 1, 20), 3) == D(2012, 1, 30)
    # 10 working days: 21, 29, 30, 31 January, 1–3 February, then 6–8 February
    assert cal.add(D(2012, 1, 20), 10) == D(2012, 2, 8)
    # received on a holiday: counting starts on the next working day
    assert cal.add(D(2012, 1, 24), 1) == D(2012, 1, 29)
    assert cal.between(D(2012, 1, 23), D(2012, 1, 30)) == 2
    assert cal.between(D(2012, 1, 30), D(2012, 1, 29)) == 0


def test_new_year_2012_make_up_saturday(db):
    cal = Calendar()
    assert cal.is_workday(D(2011, 12, 31))  # Saturday, worked for 1–3 January
    assert not cal.is_workday(D(2012, 1, 2)) and not cal.is_workday(D(2012, 1, 3))
    assert cal.add(D(2011, 12, 30), 1) == D(2011, 12, 31)
    assert cal.add(D(2011, 12, 31), 1) == D(2012, 1, 4)


def test_a_year_the_package_refuses_uses_weekdays_and_the_administrators_days(db):
    far = D(2099, 10, 1)  # a Thursday the package knows nothing of
    assert not package_knows(far)
    assert Calendar().add(D(2099, 9, 30), 1) == far
    CalendarDay.objects.create(day=far, is_workday=False, name="国庆节")
    CalendarDay.objects.create(day=D(2099, 10, 3), is_workday=True, name="调休上班")  # Saturday
    cal = Calendar()
    assert not cal.is_workday(far) and cal.is_workday(D(2099, 10, 3))
    assert cal.add(D(2099, 9, 30), 2) == D(2099, 10, 3)


@pytest.mark.parametrize("day, expected", [(D(2012, 1, 23), True), (D(2012, 1, 21), False)])
def test_an_administrators_day_wins_over_the_package(db, day, expected):
    CalendarDay.objects.create(day=day, is_workday=expected)
    assert Calendar().is_workday(day) is expected
