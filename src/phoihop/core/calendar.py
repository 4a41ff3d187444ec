"""Vietnamese working days: weekends, public holidays (Tết included) and local exceptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


class WorkingCalendar:
    """Working days by the national calendar, overridden by explicitly configured exceptions.

    `exceptions` maps a date to True (a make-up working day) or False (an extra day off).
    """

    def __init__(self, exceptions: Mapping[dt.date, bool] | None = None) -> None:
        self.exceptions = dict(exceptions or {})

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return bool(_national(day.year).is_working_day(day))

    def holiday_name(self, day: dt.date) -> str | None:
        name = _national(day.year).get(day)
        return str(name) if name else None

    def day_off_reason(self, day: dt.date) -> str | None:
        """Why `day` is not a working day («Tết Nguyên Đán», «cuối tuần», the province's
        own day off), for the message refusing it as a deadline; None on a working day."""
        if self.is_working_day(day):
            return None
        if name := self.holiday_name(day):
            return name
        return _("cuối tuần") if day.weekday() >= 5 else _("nghỉ theo lịch của tỉnh")

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The deadline `days` working days after `start`; the day of receipt does not count."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def subtract_working_days(self, start: dt.date, days: int) -> dt.date:
        """The working day that `start` is `days` working days after (the inverse of
        `add_working_days` for a working day)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        counted = 0
        while counted < days:
            day -= dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end is before)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
