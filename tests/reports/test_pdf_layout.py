"""Every report keeps the official layout: the place-and-date line on one line (HD 36,
Decree 30), a table row never split across pages, the table's header on each page it runs
onto. The PDF is read back with pdftotext (poppler) page by page, the DOCX with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn

from phoihop.reports import services
from phoihop.reports.content import Block, Document, Table, place_date

HEADER = ["STT", "Vấn đề", "Số ý kiến", "Kỳ trước", "Tăng, giảm", "Kênh", "Địa bàn"]


def _pages(data: bytes, tmp_path: Path) -> list[str]:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def _document(form: str, *, rows: int = 0) -> Document:
    """A document of `form` dated 08/12/2026 (the longest place-date a two-digit month makes),
    with a table of `rows` rows of uneven height so that some fall on a page break."""
    blocks = [Block(kind="paragraph", key="overview", text="Tình hình chung trong kỳ.")]
    if rows:
        table_rows = []
        for n in range(1, rows + 1):
            # Between two and seven lines of title: «Mở n» starts the cell, «Đóng n» ends it.
            filler = " ".join(["người dân phản ánh kéo dài"] * (2 + n % 6))
            table_rows.append(
                [str(n), f"Mở{n} {filler} Đóng{n}", "3", "1", "+2", "mạng xã hội 3", f"Nơi{n}"]
            )
        blocks.append(Block(kind="table", table=Table(header=HEADER, rows=table_rows)))
    party = form == "party"
    return Document(
        parent_body="TỈNH ỦY LẠNG SƠN" if party else "HĐND TỈNH LẠNG SƠN",
        issuing_body="BAN TUYÊN GIÁO VÀ DÂN VẬN" if party else "THƯỜNG TRỰC HĐND",
        number="Số      -BC/BTGDVTU" if party else "Số:      /BC-HĐND",
        place_date=place_date("Lạng Sơn", dt.date(2026, 12, 8)),
        kind_title="BÁO CÁO",
        title="Tình hình dư luận xã hội tháng 12 năm 2026",
        blocks=blocks,
        recipients=["Thường trực Tỉnh ủy", "Lưu Văn phòng Ban"],
        signing_authority=["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"],
        form=form,
        motto=["ĐẢNG CỘNG SẢN VIỆT NAM"] if party else [],
    )


@pytest.mark.parametrize("form", ["party", "state"])
def test_place_and_date_stay_on_one_line(form: str, tmp_path: Path) -> None:
    doc = _document(form)
    first = _pages(services.render(doc, "pdf"), tmp_path)[0]
    lines = first.splitlines()
    assert doc.place_date in lines, first
    assert doc.issuing_body in lines and doc.motto_lines[0] in lines, first  # and no other wraps


def test_table_rows_do_not_break_across_pages_and_the_header_repeats(tmp_path: Path) -> None:
    rows = 40
    pages = _pages(services.render(_document("party", rows=rows), "pdf"), tmp_path)

    def page_of(marker: str) -> int:
        found = [n for n, page in enumerate(pages) if marker in page.split()]
        assert len(found) == 1, (marker, found)
        return found[0]

    with_table = set()
    for n in range(1, rows + 1):
        where = {page_of(f"Mở{n}"), page_of(f"Đóng{n}"), page_of(f"Nơi{n}")}
        assert len(where) == 1, f"row {n} is split over pages {sorted(where)}"
        with_table |= where
    assert len(with_table) >= 3  # the table does run over several pages
    for n in with_table:
        words = pages[n].split()
        assert "STT" in words and "Kênh" in words, f"no table header on page {n + 1}"


def test_docx_table_rows_do_not_break_across_pages_and_the_header_repeats() -> None:
    document = read_docx(io.BytesIO(services.render(_document("party", rows=3), "docx")))
    data = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    header, *rows = data.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    for row in data.rows:
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert len(rows) == 3


def _ending_in(paragraphs: int, form: str) -> Document:
    doc = _document(form)
    filler = "người dân phản ánh tình hình kéo dài nhiều tháng " * 4
    doc.blocks = [
        Block(kind="paragraph", key=f"p{n}", text=f"Đoạn{n} {filler}") for n in range(paragraphs)
    ]
    return doc


@pytest.mark.parametrize("form", ["party", "state"])
def test_the_signing_block_never_starts_a_page_alone(form: str, tmp_path: Path) -> None:
    """However long the text, the last page holds some of it above «Nơi nhận» and the
    signature (with 8 or 9 paragraphs the block used to fall alone onto page 2)."""
    for paragraphs in range(6, 13):
        rendered = services.render(_ending_in(paragraphs, form), "pdf")
        pages = [p for p in _pages(rendered, tmp_path) if p.strip()]
        assert "Nơi nhận:" in pages[-1]
        assert "Đoạn" in pages[-1], (paragraphs, len(pages), pages[-1][:80])
    document = read_docx(io.BytesIO(services.render(_ending_in(8, form), "docx")))
    last = next(p for p in reversed(document.paragraphs) if p.text.startswith("Đoạn7"))
    assert last.paragraph_format.keep_with_next
    rows = _document(form, rows=3)
    document = read_docx(io.BytesIO(services.render(rows, "docx")))
    data = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    assert all(p.paragraph_format.keep_with_next for p in data.rows[-1].cells[1].paragraphs)


def test_a_table_of_many_columns_stays_inside_the_right_margin(tmp_path: Path) -> None:
    """The programme's agency × task matrix (11 columns) ran past the right margin."""
    header = ["Mã", "UBND tỉnh", "TT HĐND tỉnh", "TAND tỉnh", "Sở NN&MT", "Sở Nội vụ"]
    header += ["Sở Xây dựng", "Ban TG&DV", "Công an tỉnh", "Sở GD&ĐT", "VKSND tỉnh"]
    rows = [
        [f"2026-0{n}", "60% (CT)", "–", "80%", "", "10% (CT)", "", "", "", "", "100%"]
        for n in range(1, 10)
    ]
    doc = _document("party")
    doc.blocks.append(Block(kind="table", table=Table(header=header, rows=rows)))
    pdf = tmp_path / "wide.pdf"
    pdf.write_bytes(services.render(doc, "pdf"))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
    assert right <= 595.3 - 15 / 25.4 * 72 + 0.5  # A4 width less the 15 mm right margin
