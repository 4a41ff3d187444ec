"""What every reader of imported files shares: the limits, the refusal, the row types, and
the cell-text rules (clipping, formula-like text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MiB = 1024 * 1024


def max_file_bytes() -> int:
    return int(settings.PHOIHOP_INTAKE_MAX_FILE_BYTES)


def max_unzipped_bytes() -> int:
    return int(settings.PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES)


def max_rows() -> int:
    """The most rows any reader reads from one file (empty rows count: they cost as much)."""
    return int(settings.PHOIHOP_INTAKE_MAX_ROWS)


MAX_CELL_CHARS = 20_000
MAX_COLUMNS = 1_000
FORMULA_PREFIXES = ("=", "+", "-", "@")
# The size of the pieces an archive member is scanned in.
CHUNK = 256 * 1024


class FileRejected(ValidationError):
    """The whole file is refused (empty, too big, a bomb, unreadable); nothing is stored."""


@dataclass(frozen=True)
class RowProblem:
    """A row the reader could not even split into cells (e.g. a line that is not JSON)."""

    message: str


# A row as read: a list of cells (spreadsheet-like files) or a dict (JSON records).
RowData = list[Any] | dict[str, Any] | RowProblem


def clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS]
    return value


def too_many_rows(limit: int) -> FileRejected:
    return FileRejected(
        _("Tệp có quá %(n)s dòng; hãy chia nhỏ tệp.") % {"n": f"{limit:,}".replace(",", ".")}
    )


def is_formula_like(value: str) -> bool:
    """Text a spreadsheet would run as a formula if exported as is (`=`, `+`, `-`, `@`)."""
    return value.lstrip()[:1] in FORMULA_PREFIXES and len(value.strip()) > 1


def spreadsheet_safe(value: str) -> str:
    """Text to write into a spreadsheet cell so that it is never evaluated (for exporters).
    A leading tab or carriage return can also start a formula in some spreadsheets."""
    return "'" + value if value[:1] in (*FORMULA_PREFIXES, "\t", "\r") else value
