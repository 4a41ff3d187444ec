"""Deadlines in Vietnamese working days: weekends, Tết and configured exceptions."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.core.calendar import WorkingCalendar
from phoihop.core.models import CalendarException, DeadlineRule
from phoihop.core.selectors import deadline_for, working_calendar

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday + 1 → Monday
        (D(2026, 11, 21), 1, D(2026, 11, 23)),  # received on Saturday
        (D(2026, 11, 16), 5, D(2026, 11, 23)),  # a full week
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # Tết Bính Ngọ: 14–22/02/2026 are all off
        (D(2026, 2, 12), 3, D(2026, 2, 24)),
        (D(2025, 1, 24), 1, D(2025, 2, 3)),  # Tết Ất Tỵ: 25/01–02/02/2025
        (D(2026, 4, 29), 2, D(2026, 5, 5)),  # 30/4 and 1/5, then the weekend
        (D(2026, 8, 28), 1, D(2026, 9, 3)),  # 31/8 swapped day off, 1–2/9 National Day
        (D(2026, 1, 1), 0, D(2026, 1, 1)),
    ],
)
def test_add_working_days(start: dt.date, days: int, expected: dt.date) -> None:
    assert WorkingCalendar().add_working_days(start, days) == expected


def test_tet_days_are_named_holidays() -> None:
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(D(2026, 2, 17))
    assert calendar.holiday_name(D(2026, 2, 17)) == "Tết Nguyên Đán"


def test_make_up_saturday_is_a_working_day() -> None:
    # 22/08/2026 is worked to make up for the day off on 31/08/2026.
    assert WorkingCalendar().is_working_day(D(2026, 8, 22))


def test_configured_exceptions_override_the_national_calendar(db: None) -> None:
    CalendarException.objects.create(date=D(2026, 11, 27), is_working_day=False, note="Nghỉ bù")
    CalendarException.objects.create(date=D(2026, 11, 28), is_working_day=True, note="Làm bù")
    calendar = working_calendar()
    assert not calendar.is_working_day(D(2026, 11, 27))
    assert calendar.is_working_day(D(2026, 11, 28))
    assert calendar.add_working_days(D(2026, 11, 26), 1) == D(2026, 11, 28)


def test_deadline_rules_are_configurable(db: None) -> None:
    assert deadline_for(kind="lead", urgency="normal", start=D(2026, 11, 2)) == D(2026, 11, 23)
    DeadlineRule.objects.create(kind="lead", urgency="normal", working_days=2)
    assert deadline_for(kind="lead", urgency="normal", start=D(2026, 11, 2)) == D(2026, 11, 4)


def test_working_days_between_is_signed() -> None:
    calendar = WorkingCalendar()
    assert calendar.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    assert calendar.working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(D(2026, 1, 5), -1)
