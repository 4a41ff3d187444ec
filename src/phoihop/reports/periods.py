"""Reporting periods written as YYYY, YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM (a month)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        year = self.start.year
        part = self.code[5:].upper() if len(self.code) > 4 else ""
        if part.startswith("Q"):
            return f"quý {['I', 'II', 'III', 'IV'][int(part[1]) - 1]} năm {year}"
        if part.isdigit():
            return f"tháng {int(part)} năm {year}"
        if part == "H1":
            return f"6 tháng đầu năm {year}"
        if part == "H2":
            return f"6 tháng cuối năm {year}"
        if part.isdigit():
            return f"tháng {int(part)} năm {year}"
        return f"năm {year}"

    @property
    def short_label(self) -> str:
        """As a picker and a file name say it: «Quý 4/2026», «Tháng 11/2026», «Năm 2026»."""
        year = self.start.year
        part = self.code[5:].upper() if len(self.code) > 4 else ""
        if part.startswith("Q"):
            return f"Quý {part[1]}/{year}"
        if part == "H1":
            return f"6 tháng đầu năm {year}"
        if part == "H2":
            return f"6 tháng cuối năm {year}"
        if part.isdigit():
            return f"Tháng {int(part)}/{year}"
        return f"Năm {year}"


def parse_period(code: str) -> Period:
    """`2026-Q3` → 01/07/2026–30/09/2026, `2026-11` → 01/11/2026–30/11/2026.
    Raises ValueError with a Vietnamese message."""
    match = _PERIOD.match((code or "").strip())
    if not match:
        raise ValueError(
            f"Kỳ báo cáo «{code}» không hợp lệ (dùng YYYY, YYYY-H1, YYYY-H2, YYYY-Qn hoặc YYYY-MM)."
        )
    year = int(match.group(1))
    part = (match.group(2) or "").upper()
    if part.isdigit():
        first_month = last_month = int(part)
    elif part.startswith("Q"):
        first_month = 3 * (int(part[1]) - 1) + 1
        last_month = first_month + 2
    elif part == "H1":
        first_month, last_month = 1, 6
    elif part == "H2":
        first_month, last_month = 7, 12
    elif part.isdigit():
        first_month = last_month = int(part)
    else:
        first_month, last_month = 1, 12
    start = dt.date(year, first_month, 1)
    end = (dt.date(year + (last_month == 12), last_month % 12 + 1, 1)) - dt.timedelta(days=1)
    return Period(code=f"{year}-{part}" if part else str(year), start=start, end=end)


def period_choices(today: dt.date) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a period picker: this year and last, by quarter, half, year and
    month, the most recent first."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for year in (today.year, today.year - 1):
        last_month = today.month if year == today.year else 12
        quarters = [f"{year}-Q{q}" for q in range((last_month - 1) // 3 + 1, 0, -1)]
        halves = [f"{year}-H{h}" for h in ((2, 1) if last_month > 6 else (1,))]
        months = [f"{year}-{m:02d}" for m in range(last_month, 0, -1)]
        codes = [*quarters, *halves, str(year), *months]
        groups.append((f"Năm {year}", [(c, parse_period(c).short_label) for c in codes]))
    return groups


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a period of local days covers: from `start`'s midnight to the midnight
    after `end` (excluded), in the province's time zone, so that the last day counts whole."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


def period_before(start: dt.date, end: dt.date) -> dt.date:
    """The first day of «kỳ trước»: the calendar months before when the period is whole months
    (November before December, not the 31 days from 31/10), else as many days before."""
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = start.year * 12 + start.month - 1 - months
        return dt.date(index // 12, index % 12 + 1, 1)
    return start - dt.timedelta(days=(end - start).days + 1)
