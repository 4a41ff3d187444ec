"""Reading the first worksheet of an XLSX: calamine (Rust) for plain sheets, openpyxl
(streaming) for sheets with formulas, sheets too big to hold whole, or parts calamine's
scan cannot see into. Both stop at the row and column caps."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import python_calamine
from django.utils.translation import gettext as _

from phoihop.intake.files.common import (
    CHUNK,
    MAX_COLUMNS,
    FileRejected,
    RowData,
    clip,
    max_rows,
    too_many_rows,
)
from phoihop.intake.files.guards import check_size, check_zip


def xlsx_cells(
    data: bytes, *, data_only: bool = False, row_limit: int | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of the first sheet as openpyxl cells, after the archive checks.

    The sheet's declared dimensions are ignored (a tiny file may claim A1:XFD1048576 and
    make the reader pad a billion empty cells); only rows present in the file are read, and
    no more than `row_limit` of them, empty or not.
    """
    check_size(data)
    check_zip(data)
    yield from openpyxl_cells(data, data_only=data_only, row_limit=row_limit)


def openpyxl_cells(
    data: bytes, *, data_only: bool = False, row_limit: int | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """`xlsx_cells` without the archive checks, for callers that made them already."""
    import openpyxl

    limit = max_rows() if row_limit is None else row_limit
    workbook = openpyxl.load_workbook(
        io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False
    )
    try:
        if not workbook.worksheets:
            raise FileRejected(_("Bảng tính không có trang tính nào."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number > limit:
                raise too_many_rows(limit)
            if len(row) > MAX_COLUMNS:
                raise FileRejected(
                    _("Dòng %(n)s: quá %(max)s cột.") % {"n": number, "max": MAX_COLUMNS}
                )
            yield number, row
    finally:
        workbook.close()


# A sheet read by calamine is held whole (rows × columns, dense) while it is read; past this
# many cells, or when the extent cannot be known, the streaming openpyxl reader takes it.
CALAMINE_MAX_CELLS = 5_000_000
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Longer than any row or cell start tag up to its reference, so none hides across chunks.
_TAG_OVERLAP = 512


@dataclass(frozen=True)
class SheetExtent:
    """What the worksheets of an archive hold at most: the last row and column referenced,
    and whether any cell is a formula."""

    rows: int
    columns: int
    formulas: bool


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def sheet_extent(data: bytes) -> SheetExtent | None:
    """The extent of every worksheet, scanned in overlapping chunks; None when a part is not
    UTF-8 XML (the regular expressions would not see its references)."""
    rows = columns = 0
    formulas = False
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not _SHEET_PART.match(info.filename):
                continue
            tail = b""
            with archive.open(info) as member:
                first = True
                while chunk := member.read(CHUNK):
                    if first and b"\x00" in chunk[:64]:
                        return None
                    first = False
                    window = tail + chunk
                    for match in _ROW_REF.finditer(window):
                        rows = max(rows, int(match.group(1)))
                    for match in _CELL_REF.finditer(window):
                        columns = max(columns, _column_number(match.group(1)))
                        rows = max(rows, int(match.group(2)))
                    formulas = formulas or _FORMULA.search(window) is not None
                    tail = chunk[-_TAG_OVERLAP:]
    return SheetExtent(rows=rows, columns=columns, formulas=formulas)


def _plain(value: Any) -> Any:
    """A calamine value as openpyxl gives it: None for an empty cell, whole numbers as int."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return clip(value)


def calamine_rows(data: bytes, *, limit: int) -> Iterator[tuple[int, RowData]] | None:
    """The first worksheet's rows through calamine (Rust, several times faster than openpyxl),
    or None when the file is better read by openpyxl: formulas (calamine gives only their
    cached results, intake keeps and flags the formula text), an extent it would hold whole
    in too much memory, or a part it cannot scan."""
    extent = sheet_extent(data)
    if extent is None or extent.formulas:
        return None
    if extent.rows > limit:
        raise too_many_rows(limit)
    if extent.columns > MAX_COLUMNS:
        raise FileRejected(_("Bảng tính có quá %(max)s cột.") % {"max": MAX_COLUMNS})
    if extent.rows * max(extent.columns, 1) > CALAMINE_MAX_CELLS:
        return None
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    index = next(
        (
            i
            for i, sheet in enumerate(workbook.sheets_metadata)
            if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ),
        None,
    )
    if index is None:
        raise FileRejected(_("Bảng tính không có trang tính nào."))
    sheet = workbook.get_sheet_by_index(index)

    def rows() -> Iterator[tuple[int, RowData]]:
        # calamine yields rows from the first row of the sheet but columns from the first
        # used column: pad the left so positions match the headers' letters.
        pad: list[Any] = [None] * (sheet.start[1] if sheet.start else 0)
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield number, pad + [_plain(value) for value in row]

    return rows()


def xlsx_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
    check_zip(data)  # read_rows checked the size
    fast = calamine_rows(data, limit=max_rows())
    if fast is not None:
        yield from fast
        return
    for number, row in openpyxl_cells(data):
        yield number, [clip(getattr(cell, "value", None)) for cell in row]
