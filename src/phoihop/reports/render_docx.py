"""DOCX in the layout of the issuing body's rules (Decree 30/2020/NĐ-CP for state bodies,
Hướng dẫn 36-HD/VPTW for Party bodies, the joint form): A4, Times New Roman 14 pt, the
heading block, number, place and date, title, body, recipients, signing block, page numbers
from page 2."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from phoihop.reports.content import Document

FONT = "Times New Roman"
BODY_PT = 14
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
    underline: bool = False,
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    run.font.size = Pt(size)
    run.font.name = FONT


def _para(
    container: Any,
    text: str = "",
    *,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    **kwargs: object,
) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, **kwargs)  # type: ignore[arg-type]
    return paragraph


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl.tblPr.append(borders)


def _keep_row(row: Any, *, header: bool = False) -> None:
    """A row never split across pages; a header row repeated on each page the table reaches."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _page_number_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    run.font.name = FONT
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _recipients(container: Any, doc: Document, paragraph: Paragraph) -> None:
    """«Nơi nhận:» (underlined in Party documents, HD 36) and one recipient a line."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(
        paragraph, "Nơi nhận:", bold=True, italic=not doc.is_party, size=12, underline=doc.is_party
    )
    for n, recipient in enumerate(doc.recipients, 1):
        end = "." if n == len(doc.recipients) else ";"  # the list ends «- Lưu: VT.» (ND 30)
        _para(container, f"- {recipient}{end}", align=WD_ALIGN_PARAGRAPH.LEFT, size=11)


def render_docx(doc: Document) -> bytes:
    document = new_docx()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    # The file's own properties (Word's «Thông tin»): the issuing body and the summary line,
    # not the library's name.
    properties = document.core_properties
    properties.author = properties.last_modified_by = (
        " – ".join(name for _parent, name in doc.bodies) or doc.issuing_body
    )
    properties.title = doc.title
    properties.comments = ""

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    # Page numbers at the top, centred, from page 2 on.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(header)

    # The heading block: issuing body (or bodies) on the left; on the right the Party
    # header (HD 36) or the national motto (Decree 30), then place and date.
    top = document.add_table(rows=1, cols=2)
    _no_borders(top)
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = top.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    bodies = doc.bodies or [[doc.parent_body, doc.issuing_body]]
    first = True
    for parent, name in bodies:
        if parent:
            if first:
                _run(left.paragraphs[0], parent, size=14 if doc.is_party else 13)
            else:
                _para(left, parent, size=14 if doc.is_party else 13)
            first = False
        if first:
            _run(left.paragraphs[0], name, bold=True, size=14 if doc.is_party else 13)
            first = False
        else:
            _para(left, name, bold=True, size=14 if doc.is_party else 13)
    _para(left, "*" if doc.is_party else "_______", size=13)
    _para(left, doc.number, size=14 if doc.is_party else 13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = doc.motto_lines
    if len(motto) == 1:
        _run(right.paragraphs[0], motto[0], bold=True, size=15, underline=True)
    else:
        _run(right.paragraphs[0], motto[0], bold=True, size=12)
        _para(right, motto[1], bold=True, size=13, underline=True)
    _para(right, "")
    _para(right, doc.place_date, italic=True, size=14)

    _para(document, "")
    _para(document, doc.kind_title, bold=True, size=14)
    _para(document, doc.title, bold=True, size=14)
    _para(document, "_______", size=14)

    for block in doc.blocks:
        if block.kind == "heading":
            p = _para(document, block.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=True)
            p.paragraph_format.first_line_indent = Mm(10)
            p.paragraph_format.space_before = Pt(6)
        elif block.kind == "paragraph":
            p = _para(document, block.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            p.paragraph_format.first_line_indent = Mm(10)
            p.paragraph_format.space_after = Pt(6)
        elif block.kind == "table" and block.table is not None:
            if block.table.caption:
                _para(document, block.table.caption, italic=True, size=13)
            table = document.add_table(rows=1, cols=len(block.table.header))
            table.style = "Table Grid"
            _keep_row(table.rows[0], header=True)
            for cell, text in zip(table.rows[0].cells, block.table.header, strict=True):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(cell.paragraphs[0], text, bold=True, size=12)
            for row in block.table.rows:
                added = table.add_row()
                _keep_row(added)
                cells = added.cells
                for cell, text in zip(cells, row, strict=True):
                    _run(cell.paragraphs[0], text, size=12)
            _para(document, "")

    # The signing block never starts a page alone: the end of the text keeps with it
    # (the last paragraph, or the last row of a closing table, then the blank line).
    ending = document.paragraphs[-1:]
    if doc.blocks and doc.blocks[-1].kind == "table" and document.tables[1:]:
        ending = [p for cell in document.tables[-1].rows[-1].cells for p in cell.paragraphs]
        ending.append(document.paragraphs[-1])
    ending.append(_para(document, ""))
    for paragraph in ending:
        paragraph.paragraph_format.keep_with_next = True
    if doc.co_signing:
        # Joint form: each issuing body signs in its own column, recipients below.
        signing = document.add_table(rows=1, cols=len(doc.co_signing))
        _no_borders(signing)
        for cell, lines in zip(signing.rows[0].cells, doc.co_signing, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for i, line in enumerate(lines):
                if i == 0:
                    _run(cell.paragraphs[0], line, bold=True, size=13)
                else:
                    _para(cell, line, bold=True, size=13)
        _para(document, "")
        _recipients(document, doc, document.add_paragraph())
    else:
        # Recipients on the left, the signing block on the right.
        bottom = document.add_table(rows=1, cols=2)
        _no_borders(bottom)
        _keep_row(bottom.rows[0])
        left, right = bottom.rows[0].cells
        _recipients(left, doc, left.paragraphs[0])
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(doc.signing_authority):
            if i == 0:
                _run(right.paragraphs[0], line, bold=True, size=14)
            else:
                _para(right, line, bold=True, size=14)
        for _blank in range(3):
            _para(right, "")
        _para(right, doc.signer, bold=True, size=14)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
