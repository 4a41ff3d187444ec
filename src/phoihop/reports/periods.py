"""Reporting periods written as YYYY, YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM (a month)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
        return f"năm {year}"


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
    else:
        first_month, last_month = 1, 12
    start = dt.date(year, first_month, 1)
    end = (dt.date(year + (last_month == 12), last_month % 12 + 1, 1)) - dt.timedelta(days=1)
    return Period(code=f"{year}-{part}" if part else str(year), start=start, end=end)
