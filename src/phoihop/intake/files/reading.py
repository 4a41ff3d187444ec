"""Which reader a file needs, and `read_rows`, the one entry point that runs it under the
size and row caps and turns any parser's failure into a `FileRejected`."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from phoihop.intake.files.common import FileRejected, RowData, max_rows, too_many_rows
from phoihop.intake.files.guards import check_size
from phoihop.intake.files.text import csv_rows, jsonl_rows
from phoihop.intake.files.word import docx_rows
from phoihop.intake.files.xlsx import xlsx_rows

KINDS = {"xlsx": "xlsx", "xlsm": "xlsx", "csv": "csv", "txt": "csv", "tsv": "csv"}
KINDS |= {"docx": "docx", "jsonl": "jsonl", "ndjson": "jsonl", "json": "jsonl"}
KINDS |= {"xml": "feed", "rss": "feed", "atom": "feed"}


def kind_of(*, filename: str, data: bytes) -> str:
    """The reader to use, from the bytes first and the file name second."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise FileRejected(_("Tệp nén bị hỏng, không đọc được.")) from error
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileRejected(
            _("Tệp nén không phải bảng tính Excel (.xlsx) hay văn bản Word (.docx).")
        )
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in ("xlsx", "xlsm", "docx"):
        raise FileRejected(
            _("Tệp có đuôi .%(ext)s nhưng nội dung không phải tệp Office.") % {"ext": ext}
        )
    if ext in ("xls", "doc"):
        raise FileRejected(
            _("Định dạng .%(ext)s cũ không được hỗ trợ; vui lòng lưu lại thành .xlsx hoặc .docx.")
            % {"ext": ext}
        )
    return KINDS.get(ext, "csv")


READERS = {"xlsx": xlsx_rows, "csv": csv_rows, "docx": docx_rows, "jsonl": jsonl_rows}


def read_rows(*, data: bytes, filename: str) -> Iterator[tuple[int, RowData]]:
    """Numbered rows of an uploaded file. Raises FileRejected for any file it will not read."""
    check_size(data)
    kind = kind_of(filename=filename, data=data)
    reader = READERS.get(kind)
    if reader is None:
        raise FileRejected(_("Loại tệp này không dùng để nhập danh sách."))
    limit = max_rows()
    try:
        for count, row in enumerate(reader(data), start=1):
            if count > limit:
                raise too_many_rows(limit)
            yield row
    except FileRejected:
        raise
    except Exception as error:
        raise FileRejected(
            _("Tệp bị hỏng hoặc không đúng định dạng %(kind)s, không đọc được.")
            % {"kind": kind.upper()}
        ) from error
