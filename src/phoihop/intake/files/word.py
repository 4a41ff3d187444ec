"""Word documents (.docx): a table with a header row, else numbered paragraphs, one petition
per item, under the bold or colon-ended heading that names their area."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from phoihop.intake.files.common import RowData, clip
from phoihop.intake.files.guards import check_zip
from phoihop.intake.headers import looks_like_header

_NUMBERED = re.compile(r"^\s*(\d{1,4})\s*[.)/:-]\s+(.*)$", re.S)


def _auto_numbered(paragraph: Any) -> bool:
    """Word's automatic numbering, on the paragraph itself or through its (list) style."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    style = paragraph.style
    while style is not None:
        style_ppr = style.element.pPr
        if style_ppr is not None and style_ppr.numPr is not None:
            return True
        style = style.base_style
    return False


def docx_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
    """A table with a header row, else numbered paragraphs (one petition per item)."""
    import docx

    check_zip(data)
    document = docx.Document(io.BytesIO(data))

    for table in document.tables:
        rows = table.rows
        if not rows:
            continue
        header = [cell.text for cell in rows[0].cells]
        if not looks_like_header(header):
            continue
        for number, row in enumerate(rows, start=1):
            yield number, [clip(cell.text) for cell in row.cells]
        return
    # Numbered paragraphs: "1. Cử tri ..." or Word's automatic numbering (numPr).
    counter = 0
    current: dict[str, Any] | None = None
    heading = ""
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        auto = _auto_numbered(paragraph)
        match = _NUMBERED.match(text)
        if match or auto:
            if current is not None:
                yield counter, current
            counter = int(match.group(1)) if match else counter + 1
            body = match.group(2).strip() if match else text
            current = {"noi dung": clip(body), "dia ban": heading}
        elif text.endswith(":") or all(run.bold for run in paragraph.runs if run.text.strip()):
            if current is not None:
                yield counter, current
                current = None
            heading = text.rstrip(":").strip()
        elif current is not None:
            current["noi dung"] = clip(f"{current['noi dung']}\n{text}")
    if current is not None:
        yield counter, current
