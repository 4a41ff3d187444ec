"""Safe readers for imported files: sizes, zip bombs, XML entity tricks, encodings, formulas.

Every reader turns bytes into numbered rows and raises `FileRejected` (a ValidationError with
a Vietnamese message) for anything it will not read. No other exception is meant to escape:
`read_rows` wraps the third-party parsers so a corrupt file is an error message, never a 500.

The package, by responsibility:
- `common`: the limits, `FileRejected`, the row types, cell clipping and formula-like text;
- `guards`: the checks before any parser runs (size, zip bombs, DTD/entities in XML);
- `xlsx`: the first worksheet through calamine, or openpyxl when calamine is not safe;
- `text`: decoding, CSV and JSON records; `word`: DOCX tables and numbered paragraphs;
- `reading`: which reader a file needs, and `read_rows`, the one way in;
- `attachments`: the allowed attachment types, judged from their first bytes.

Callers import from `phoihop.intake.files`; the names below are its public surface.
"""

from __future__ import annotations

from phoihop.intake.files.attachments import ATTACHMENT_TYPES, attachment_type
from phoihop.intake.files.common import (
    FORMULA_PREFIXES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    FileRejected,
    MiB,
    RowData,
    RowProblem,
    is_formula_like,
    max_file_bytes,
    max_rows,
    max_unzipped_bytes,
    spreadsheet_safe,
)
from phoihop.intake.files.guards import (
    MAX_COMPRESSION_RATIO,
    RATIO_CHECK_FROM,
    check_size,
    check_xml,
    check_zip,
)
from phoihop.intake.files.reading import KINDS, READERS, kind_of, read_rows
from phoihop.intake.files.text import decode_text
from phoihop.intake.files.xlsx import CALAMINE_MAX_CELLS, SheetExtent, sheet_extent, xlsx_cells

__all__ = [
    "ATTACHMENT_TYPES",
    "CALAMINE_MAX_CELLS",
    "FORMULA_PREFIXES",
    "KINDS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "RATIO_CHECK_FROM",
    "READERS",
    "FileRejected",
    "MiB",
    "RowData",
    "RowProblem",
    "SheetExtent",
    "attachment_type",
    "check_size",
    "check_xml",
    "check_zip",
    "decode_text",
    "is_formula_like",
    "kind_of",
    "max_file_bytes",
    "max_rows",
    "max_unzipped_bytes",
    "read_rows",
    "sheet_extent",
    "spreadsheet_safe",
    "xlsx_cells",
]
