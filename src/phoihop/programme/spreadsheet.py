"""Reading and writing the progress spreadsheet (XLSX): one row per task and agency."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils.exceptions import InvalidFileException

from phoihop.intake import files
from phoihop.triage.normalize import fold

# Column keys and the headers people see (matched with or without diacritics, any case).
COLUMNS: list[tuple[str, str]] = [
    ("task", "Mã nhiệm vụ"),
    ("title", "Nhiệm vụ"),  # for the reader only: the code identifies the task
    ("agency", "Cơ quan"),
    ("percent", "Tiến độ (%)"),
    ("narrative", "Kết quả thực hiện"),
    ("evidence", "Minh chứng"),
    ("reported_on", "Ngày báo cáo"),
]
REQUIRED = ("task", "agency", "percent")
# A template row names its task and agency; it is filled when one of these is not blank.
REPORTED = ("percent", "narrative", "evidence", "reported_on")
MAX_ROWS = 5000
# Rows read at most, empty ones included (formatting often reaches a few thousand rows down).
MAX_SHEET_ROWS = 20_000


class SheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, missing columns)."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number people see in Excel
    values: dict[str, Any]
    percent_format: bool  # the percent cell is formatted as a percentage (0.6 means 60%)


def _header_key(value: Any) -> str | None:
    text = fold(str(value or "")).strip()
    for key, header in COLUMNS:
        folded = fold(header)
        if text == folded or text == folded.split(" (")[0]:
            return key
    return None


def is_unfilled(row: SheetRow) -> bool:
    """A template row nobody filled in: only its task and agency are there."""
    return all(str(row.values.get(key) or "").strip() == "" for key in REPORTED)


def read_rows(file: IO[bytes]) -> list[SheetRow]:
    """The non-empty rows of the first sheet, keyed by column; raises SheetError.

    The bytes go through intake's guarded reader (size, zip-bomb ratio, XML entities, the
    sheet's declared dimensions ignored) and at most `MAX_SHEET_ROWS` rows are read, empty
    ones included, so a small hostile file cannot keep a worker busy."""
    data = file.read(files.max_file_bytes() + 1)
    if data[:4] != b"PK\x03\x04":
        raise SheetError(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."))
    try:
        cells = files.xlsx_cells(data, data_only=True, row_limit=MAX_SHEET_ROWS)
        header_row = next(cells, None)
        if header_row is None:
            raise SheetError(_("Bảng tính trống."))
        header = header_row[1]
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            key = _header_key(getattr(cell, "value", None))
            if key is not None and key not in positions:
                positions[key] = index
        missing = [label for key, label in COLUMNS if key in REQUIRED and key not in positions]
        if missing:
            raise SheetError(
                _("Dòng 1: thiếu cột %(columns)s.")
                % {"columns": ", ".join(f"«{label}»" for label in missing)}
            )
        result: list[SheetRow] = []
        for number, row in cells:
            values = {
                key: getattr(row[i], "value", None) if i < len(row) else None
                for key, i in positions.items()
            }
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            if len(result) >= MAX_ROWS:
                raise SheetError(_("Bảng tính quá %(n)s dòng; hãy chia nhỏ tệp.") % {"n": MAX_ROWS})
            percent_cell = row[positions["percent"]] if positions["percent"] < len(row) else None
            number_format = getattr(percent_cell, "number_format", "") or ""
            result.append(
                SheetRow(number=number, values=values, percent_format="%" in number_format)
            )
    except files.FileRejected as error:
        raise SheetError(" ".join(error.messages)) from error
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetError(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")) from error
    return result


def parse_percent(value: Any, *, percent_format: bool) -> int | None:
    """60, 60.0, "60", "60%" → 60; 0.6 in a percentage-formatted cell → 60; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value) * (100 if percent_format else 1)
    else:
        text = str(value).strip().replace(",", ".").removesuffix("%").strip()
        try:
            number = float(text)
        except ValueError:
            return None
    if number != int(number):
        return None
    return int(number)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def template(rows: list[list[Any]]) -> bytes:
    """An XLSX with the expected headers and the given rows (code, title, agency name, ...)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tiến độ"
    sheet.append([label for _key, label in COLUMNS])
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFG", (14, 50, 40, 12, 60, 40, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
