"""The progress import reads XLSX through intake's guarded reader (issue 14, defect 1)."""

from __future__ import annotations

import io
import zipfile

import pytest

from phoihop.intake import files
from phoihop.programme import spreadsheet

HEADER = ["Mã nhiệm vụ", "Cơ quan", "Tiến độ (%)"]


def _sheet_xml(rows: str, dimension: str = "A1:C1") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def _row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _xlsx(sheet_xml: str) -> io.BytesIO:
    """A real workbook whose sheet is replaced, so it can say what a hostile one says."""
    with zipfile.ZipFile(io.BytesIO(spreadsheet.template([]))) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_a_sheet_that_compresses_like_a_bomb_is_refused() -> None:
    # 5,000 rows of one repeated long text outside the known columns: 10 MB of XML that
    # deflates to a few dozen KB, as a bomb does.
    filler = "x" * 2000
    rows = _row(1, HEADER) + "".join(
        f'<row r="{n}"><c r="Z{n}" t="inlineStr"><is><t>{filler}</t></is></c></row>'
        for n in range(2, 5_002)
    )
    with pytest.raises(spreadsheet.SheetError, match="bom nén"):
        spreadsheet.read_rows(_xlsx(_sheet_xml(rows)))


def test_empty_rows_count_towards_the_row_cap() -> None:
    # Rows with nothing in the known columns used to be skipped without being counted.
    count = spreadsheet.MAX_SHEET_ROWS + 10
    rows = _row(1, HEADER) + "".join(f'<row r="{n}"/>' for n in range(2, count + 2))
    with pytest.raises(spreadsheet.SheetError, match=r"quá 20\.000 dòng"):
        spreadsheet.read_rows(_xlsx(_sheet_xml(rows)))


def test_declared_dimensions_are_not_trusted() -> None:
    # A sheet claiming A1:XFD1048576 used to be padded to 16,384 cells in every row.
    rows = _row(1, HEADER) + _row(2, ["2026-01", "snnmt", "50"])
    result = spreadsheet.read_rows(_xlsx(_sheet_xml(rows, dimension="A1:XFD1048576")))
    assert [r.values for r in result] == [{"task": "2026-01", "agency": "snnmt", "percent": "50"}]


def test_intake_readers_cap_rows(settings: object) -> None:
    settings.PHOIHOP_INTAKE_MAX_ROWS = 3  # type: ignore[attr-defined]
    data = "\n".join(f"a{n},b{n}" for n in range(10)).encode()
    with pytest.raises(files.FileRejected, match="quá 3 dòng"):
        list(files.read_rows(data=data, filename="x.csv"))


def test_entities_past_the_first_64_kib_of_an_xml_part_are_refused() -> None:
    rows = _row(1, HEADER) + "<!-- " + "p" * 200_000 + " -->"
    hidden = _sheet_xml(rows).replace("</sheetData>", "</sheetData><!DOCTYPE x>")
    with pytest.raises(files.FileRejected, match="DTD"):
        files.check_zip(_xlsx(hidden).getvalue())
