"""Hostile files get a clear Vietnamese error and store nothing: never a 500, never a hang."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from tests.intake.conftest import PETITION_HEADERS, docx_table, petition_rows, xlsx_bytes

from phoihop.intake import files, services
from phoihop.intake.files import FileRejected, attachment_type, decode_text, spreadsheet_safe
from phoihop.intake.files.xlsx import calamine_rows
from phoihop.intake.models import Signal

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _rejected(data: bytes, name: str, channel: str = "petitions") -> str:
    with pytest.raises(FileRejected) as error:
        services.import_file(data=data, filename=name, channel=channel, by=None)
    assert Signal.objects.count() == 0
    return str(error.value.messages[0])


def _rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("data", [b"", b"   \n\r\n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused(db: None, data: bytes) -> None:
    message = _rejected(data, "rong.csv")
    assert message in ("Tệp rỗng, không có dữ liệu để nhập.", "Tệp không có dòng dữ liệu nào.")


def test_a_header_without_rows_is_refused(db: None) -> None:
    assert _rejected(xlsx_bytes([PETITION_HEADERS]), "dot.xlsx") == "Tệp không có dòng dữ liệu nào."


def test_oversized_files_are_refused(db: None, settings: Any) -> None:
    settings.PHOIHOP_INTAKE_MAX_FILE_BYTES = 10_000
    message = _rejected(xlsx_bytes([PETITION_HEADERS, *petition_rows(300)]), "lon.xlsx")
    assert message.startswith("Tệp quá lớn")


def test_a_zip_bomb_inside_xlsx_is_refused(db: None) -> None:
    data = _rezip(
        xlsx_bytes([PETITION_HEADERS, *petition_rows(3)]),
        add={"xl/media/image1.bin": b"\0" * (30 * 2**20)},
    )
    assert len(data) < 200_000
    assert "bom nén" in _rejected(data, "bom.xlsx")


def test_a_docx_that_unpacks_too_big_is_refused(db: None, settings: Any) -> None:
    settings.PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES = 2 * 2**20
    rows = [["STT", "Nội dung kiến nghị"], [1, "Đề nghị"]]
    data = _rezip(docx_table(rows), add={"word/media/a.bin": bytes(range(256)) * 12_000})
    assert "bom nén" in _rejected(data, "bom.docx")


def test_xml_entity_tricks_inside_xlsx_and_docx_are_refused(db: None) -> None:
    xlsx = xlsx_bytes([PETITION_HEADERS, *petition_rows(2)])
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    body = sheet.split("?>", 1)[-1]
    bomb = _rezip(xlsx, replace={"xl/worksheets/sheet1.xml": (LAUGHS + body).encode()})
    assert "DTD" in _rejected(bomb, "laughs.xlsx")
    docx = docx_table([["STT", "Nội dung kiến nghị"], [1, "Đề nghị"]])
    document = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    evil = _rezip(docx, replace={"word/document.xml": (XXE + document.split("?>", 1)[-1]).encode()})
    assert "DTD" in _rejected(evil, "xxe.docx")
    utf16 = _rezip(docx, replace={"word/document.xml": (XXE + "<a/>").encode("utf-16")})
    assert "DTD" in _rejected(utf16, "xxe16.docx")


def test_an_rss_feed_with_entities_is_refused(db: None) -> None:
    feed = (LAUGHS + "<rss><channel><title>&lol3;</title></channel></rss>").encode()
    assert "ENTITY" in _rejected(feed, "feed.xml", channel="news")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        ("Nội dung\nabc".encode("utf-16-le"), "khong_bom.csv", "UTF-16 không có BOM"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "anh.csv", "không phải văn bản"),
        (b"Noi dung\n\x81\x8a\x9d \xc3\x28 abc\n", "hong.csv", "Không nhận ra bảng mã"),
        (b"Noi dung,Dia ban\nabc,def\n", "gia.xlsx", "không phải tệp Office"),
        (b"PK\x03\x04" + b"\x00garbage" * 20, "hong.xlsx", "Tệp nén bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "cu.xls", "không được hỗ trợ"),
    ],
)
def test_wrong_encodings_and_wrong_formats_are_named(
    db: None, data: bytes, name: str, expected: str
) -> None:
    assert expected in _rejected(data, name)


def test_a_corrupt_workbook_is_an_error_not_a_crash(db: None) -> None:
    xlsx = xlsx_bytes([PETITION_HEADERS, *petition_rows(2)])
    broken = _rezip(xlsx, replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})
    assert "bị hỏng" in _rejected(broken, "hong.xlsx")


def test_decoding_prefers_utf8_then_windows_1258() -> None:
    assert decode_text("Hòa Bình".encode()) == "Hòa Bình"
    assert decode_text(b"\xef\xbb\xbfabc") == "abc"
    assert decode_text("Hà Nội".encode("utf-16")) == "Hà Nội"
    assert decode_text(b"H\xe0 N\xf4i") == "Hà Nôi"


def test_attachment_types_come_from_the_bytes() -> None:
    assert attachment_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert attachment_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert attachment_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert attachment_type(b"%PDF-1.7") == "application/pdf"
    assert attachment_type(b"MZ\x90\x00") is None
    assert attachment_type(b"<svg onload=alert(1)>") is None


def test_exporters_can_neutralise_formulas() -> None:
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("Cử tri") == "Cử tri"


def _sheet_xml(cells: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def test_the_fast_reader_gives_the_same_rows_as_openpyxl() -> None:
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["B3"] = "Cử tri phản ánh"
    sheet["C4"] = 5
    sheet["D4"] = 1.5
    sheet["C5"] = dt.date(2026, 1, 2)
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    fast = calamine_rows(data, limit=100)
    assert fast is not None, "a plain sheet is read by calamine"
    slow = [(n, [c.value for c in row]) for n, row in files.xlsx_cells(data)]
    fast_rows = list(fast)
    assert [n for n, _ in fast_rows] == [n for n, _ in slow] == [1, 2, 3, 4, 5]
    for (_, quick), (_, careful) in zip(fast_rows, slow, strict=True):
        width = max(len(quick), len(careful))
        careful = careful + [None] * (width - len(careful))
        quick = quick + [None] * (width - len(quick))
        # openpyxl gives a date cell as a datetime at midnight; the importer reads both
        assert [v.date() if isinstance(v, dt.datetime) else v for v in careful] == quick


def test_a_sparse_sheet_cannot_make_the_fast_reader_allocate_its_extent(db: None) -> None:
    """Two cells at opposite corners would make calamine hold a dense grid of billions."""
    corner = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
    far = '<row r="400000"><c r="XFD400000" t="inlineStr"><is><t>b</t></is></c></row>'
    data = _rezip(
        xlsx_bytes([PETITION_HEADERS]), {"xl/worksheets/sheet1.xml": _sheet_xml(corner + far)}
    )
    assert "cột" in _rejected(data, "xa.xlsx")
    far_down = '<row r="600000"><c r="B600000" t="inlineStr"><is><t>b</t></is></c></row>'
    data = _rezip(
        xlsx_bytes([PETITION_HEADERS]), {"xl/worksheets/sheet1.xml": _sheet_xml(corner + far_down)}
    )
    assert "dòng" in _rejected(data, "dai.xlsx")


def test_a_sheet_with_formulas_is_read_by_openpyxl_to_keep_the_formula_text() -> None:
    formula = '<row r="1"><c r="A1"><f>SUM(1,2)</f><v>3</v></c></row>'
    data = _rezip(xlsx_bytes([PETITION_HEADERS]), {"xl/worksheets/sheet1.xml": _sheet_xml(formula)})
    extent = files.sheet_extent(data)
    assert extent is not None and extent.formulas
    assert calamine_rows(data, limit=100) is None
