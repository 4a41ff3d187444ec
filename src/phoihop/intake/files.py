"""Safe readers for imported files: sizes, zip bombs, XML entity tricks, encodings, formulas.

Every reader turns bytes into numbered rows and raises `FileRejected` (a ValidationError with
a Vietnamese message) for anything it will not read. No other exception is meant to escape:
`read_rows` wraps the third-party parsers so a corrupt file is an error message, never a 500.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import python_calamine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.intake.headers import looks_like_header

MiB = 1024 * 1024


def max_file_bytes() -> int:
    return int(settings.PHOIHOP_INTAKE_MAX_FILE_BYTES)


def max_unzipped_bytes() -> int:
    return int(settings.PHOIHOP_INTAKE_MAX_UNZIPPED_BYTES)


def max_rows() -> int:
    """The most rows any reader reads from one file (empty rows count: they cost as much)."""
    return int(settings.PHOIHOP_INTAKE_MAX_ROWS)


# Real spreadsheets compress 5-20 times; a bomb compresses hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 100
# Ratios of tiny members mean nothing (a 2 KiB style sheet of spaces); only big ones count.
RATIO_CHECK_FROM = 1 * MiB
MAX_CELL_CHARS = 20_000
MAX_COLUMNS = 1_000
FORMULA_PREFIXES = ("=", "+", "-", "@")


class FileRejected(ValidationError):
    """The whole file is refused (empty, too big, a bomb, unreadable); nothing is stored."""


@dataclass(frozen=True)
class RowProblem:
    """A row the reader could not even split into cells (e.g. a line that is not JSON)."""

    message: str


# A row as read: a list of cells (spreadsheet-like files) or a dict (JSON records).
RowData = list[Any] | dict[str, Any] | RowProblem

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


def check_size(data: bytes) -> None:
    if not data or not data.strip():
        raise FileRejected(_("Tệp rỗng, không có dữ liệu để nhập."))
    limit = max_file_bytes()
    if len(data) > limit:
        raise FileRejected(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {"size": round(len(data) / MiB, 1), "limit": round(limit / MiB, 1)}
        )


_DTD_MARKERS = ("<!doctype", "<!entity")


def _has_dtd(head: bytes) -> bool:
    """Whether the start of an XML document declares a DTD or entities (in any UTF form)."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="ignore").lower()
        if any(marker in text for marker in _DTD_MARKERS):
            return True
    return False


def check_xml(data: bytes) -> None:
    """Refuse XML that declares entities (billion laughs, external entities)."""
    head = data[: 1 * MiB]
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        if "<!entity" in head.decode(encoding, errors="ignore").lower():
            raise FileRejected(
                _("Tệp XML có khai báo thực thể (DTD/ENTITY), không được chấp nhận.")
            )


def check_zip(data: bytes) -> None:
    """Refuse archives whose members would unpack to too much, or compress suspiciously well."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRejected(_("Tệp nén bị hỏng, không đọc được.")) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > 10_000:
            raise FileRejected(_("Tệp chứa quá nhiều thành phần, nghi là tệp độc hại."))
        total = sum(info.file_size for info in infos)
        if total > max_unzipped_bytes():
            raise FileRejected(
                _("Tệp giải nén ra quá lớn (%(size)s MB), nghi là «bom nén»; không nhập.")
                % {"size": total // MiB}
            )
        for info in infos:
            if info.file_size >= RATIO_CHECK_FROM and (
                info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
            ):
                raise FileRejected(
                    _("Tệp có tỷ lệ nén bất thường (%(ratio)s lần), nghi là «bom nén»; không nhập.")
                    % {"ratio": info.file_size // max(info.compress_size, 1)}
                )
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                dtd = _member_has_dtd(archive, info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
                raise FileRejected(_("Tệp nén bị hỏng, không đọc được.")) from error
            if dtd:
                raise FileRejected(
                    _("Tệp có khai báo DTD/thực thể XML (có thể là tấn công XML); không nhập.")
                )


_CHUNK = 256 * 1024
# Long enough to hold "<!doctype" or "<!entity" in UTF-16 across a chunk boundary.
_OVERLAP = 32


def _member_has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD anywhere, not only in its first bytes.

    The whole part is scanned in chunks that overlap, so a declaration cannot hide past the
    first chunk or across a boundary; the sizes were bounded by the checks above."""
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            if _has_dtd(tail + chunk):
                return True
            tail = chunk[-_OVERLAP:]
    return False


# ---- text decoding ------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1258, in that order."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data[:4096]:
        raise FileRejected(
            _(
                "Tệp không phải văn bản (có byte rỗng) hoặc là UTF-16 không có BOM; "
                "vui lòng lưu lại dạng CSV UTF-8."
            )
        )
    else:
        candidates = ["utf-8", "cp1258"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise FileRejected(
            _("Không nhận ra bảng mã của tệp (hỗ trợ UTF-8, UTF-16 có BOM, Windows-1258).")
        )
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n")
    if "\x00" in text or controls > max(10, len(text[:65536]) // 100):
        raise FileRejected(_("Tệp không phải văn bản (chứa ký tự điều khiển)."))
    return text


# ---- readers ------------------------------------------------------------------------


def _clip(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS]
    return value


def _too_many_rows(limit: int) -> FileRejected:
    return FileRejected(
        _("Tệp có quá %(n)s dòng; hãy chia nhỏ tệp.") % {"n": f"{limit:,}".replace(",", ".")}
    )


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
    yield from _openpyxl_cells(data, data_only=data_only, row_limit=row_limit)


def _openpyxl_cells(
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
                raise _too_many_rows(limit)
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
                while chunk := member.read(_CHUNK):
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
    return _clip(value)


def _calamine_rows(data: bytes, *, limit: int) -> Iterator[tuple[int, RowData]] | None:
    """The first worksheet's rows through calamine (Rust, several times faster than openpyxl),
    or None when the file is better read by openpyxl: formulas (calamine gives only their
    cached results, intake keeps and flags the formula text), an extent it would hold whole
    in too much memory, or a part it cannot scan."""
    extent = sheet_extent(data)
    if extent is None or extent.formulas:
        return None
    if extent.rows > limit:
        raise _too_many_rows(limit)
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


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
    check_zip(data)  # read_rows checked the size
    fast = _calamine_rows(data, limit=max_rows())
    if fast is not None:
        yield from fast
        return
    for number, row in _openpyxl_cells(data):
        yield number, [_clip(getattr(cell, "value", None)) for cell in row]


def _csv_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    limit = max_rows()
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileRejected(
                _("Dòng %(n)s: không đọc được dòng CSV (%(err)s).")
                % {"n": number + 1, "err": error}
            ) from error
        number += 1
        if number > limit:
            raise _too_many_rows(limit)
        yield number, [_clip(v) for v in row]


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


def _docx_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
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
            yield number, [_clip(cell.text) for cell in row.cells]
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
            current = {"noi dung": _clip(body), "dia ban": heading}
        elif text.endswith(":") or all(run.bold for run in paragraph.runs if run.text.strip()):
            if current is not None:
                yield counter, current
                current = None
            heading = text.rstrip(":").strip()
        elif current is not None:
            current["noi dung"] = _clip(f"{current['noi dung']}\n{text}")
    if current is not None:
        yield counter, current


def _jsonl_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
    text = decode_text(data)
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except (ValueError, RecursionError) as error:
            raise FileRejected(_("Tệp JSON không hợp lệ: %(err)s") % {"err": error}) from error
        if not isinstance(items, list):
            raise FileRejected(_("Tệp JSON phải là một danh sách các bài đăng."))
        for number, item in enumerate(items, start=1):
            if isinstance(item, dict):
                yield number, item
            else:
                yield number, RowProblem(_("không phải một đối tượng JSON"))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            yield number, RowProblem(_("không phải JSON hợp lệ"))
            continue
        if isinstance(item, dict):
            yield number, item
        else:
            yield number, RowProblem(_("không phải một đối tượng JSON"))


READERS = {"xlsx": _xlsx_rows, "csv": _csv_rows, "docx": _docx_rows, "jsonl": _jsonl_rows}


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
                raise _too_many_rows(limit)
            yield row
    except FileRejected:
        raise
    except Exception as error:
        raise FileRejected(
            _("Tệp bị hỏng hoặc không đúng định dạng %(kind)s, không đọc được.")
            % {"kind": kind.upper()}
        ) from error


def is_formula_like(value: str) -> bool:
    """Text a spreadsheet would run as a formula if exported as is (`=`, `+`, `-`, `@`)."""
    return value.lstrip()[:1] in FORMULA_PREFIXES and len(value.strip()) > 1


def spreadsheet_safe(value: str) -> str:
    """Text to write into a spreadsheet cell so that it is never evaluated (for exporters).
    A leading tab or carriage return can also start a formula in some spreadsheets."""
    return "'" + value if value[:1] in (*FORMULA_PREFIXES, "\t", "\r") else value


# ---- attachments --------------------------------------------------------------------

ATTACHMENT_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/pdf": (b"%PDF-",),
}


def attachment_type(head: bytes) -> str | None:
    """The content type of an attachment judged from its first bytes, or None if not allowed."""
    for content_type, magics in ATTACHMENT_TYPES.items():
        if head.startswith(magics):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
