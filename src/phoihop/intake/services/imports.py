"""Importing a file (XLSX, CSV, DOCX, JSONL, RSS/Atom): check every row, then store.

A file is checked row by row before anything is written, then written in one transaction,
so a bad row or a crash leaves the database as it was; `only_valid` stores the good rows
and reports the bad.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.intake import news
from phoihop.intake.files import (
    FileRejected,
    RowProblem,
    read_rows,
)
from phoihop.intake.headers import IMPORT_CHANNELS, HeaderMap, map_headers
from phoihop.intake.models import (
    ImportBatch,
    Signal,
    VoterContactRound,
)
from phoihop.intake.records import (
    Checked,
    Lookups,
    Record,
    RowError,
    check_feedback,
    check_petition,
    check_post,
)
from phoihop.intake.services.rounds import _round
from phoihop.intake.services.signals import _store_chunk
from phoihop.triage.normalize import normalize_text

C = Signal.Channel
Progress = Callable[[str, int, int], None]
CHANNELS = (*IMPORT_CHANNELS, "news")
CHUNK = 1000
# Checked rows wait for the writing pass in memory up to this size, then on disk, so memory
# stays flat whatever the file size and the file is parsed once.
SPOOL_IN_MEMORY = 8 * 2**20
MAX_LISTED_ERRORS = 1000
HEADER_SCAN_ROWS = 10


@dataclass
class ImportReport:
    """What an import did: counts, and one line per bad row («Dòng N: …»)."""

    channel: str
    file_name: str
    rows: int = 0
    new: int = 0
    known: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error_rows: int = 0
    stored: bool = False
    round_name: str = ""
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.stored:
            return _("Không nhập: %(bad)s dòng có lỗi trong %(rows)s dòng; chưa lưu dòng nào.") % {
                "bad": self.error_rows,
                "rows": self.rows,
            }
        text = _("Đã nhập %(new)s tín hiệu mới, %(known)s đã có từ trước.") % {
            "new": self.new,
            "known": self.known,
        }
        if self.error_rows:
            text += " " + _("Bỏ qua %(bad)s dòng có lỗi.") % {"bad": self.error_rows}
        return text


def _line(number: int, error: RowError) -> str:
    return _("Dòng %(n)s: %(msg)s") % {"n": number, "msg": error.message}


# ---- reading a file into checked rows -----------------------------------------------


def default_round_name(filename: str) -> str:
    return normalize_text(PurePath(filename).stem.replace("_", " ")) or _("Đợt tiếp xúc cử tri")


def _missing_columns_error(channel: str, headers: list[Any], found: HeaderMap) -> FileRejected:
    names = ", ".join(f"«{h}»" for h in headers if h not in (None, "")) or "—"
    wanted = ", ".join(f"«{c.label}»" for c in found.missing(channel))
    return FileRejected(
        _(
            "Không tìm thấy cột %(wanted)s trong %(n)s dòng đầu của tệp; các cột trong tệp: "
            "%(names)s. Hãy đặt lại tên cột hoặc ghép cột khi nhập trên web."
        )
        % {"wanted": wanted, "n": HEADER_SCAN_ROWS, "names": names}
    )


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@dataclass(frozen=True)
class Inspection:
    """The header row of a file as found, for the web import's column-mapping step."""

    headers: list[str]
    found: HeaderMap
    header_row: int


def inspect_file(
    *, data: bytes, filename: str, channel: str, mapping: dict[str, str] | None = None
) -> Inspection:
    """Find the header row (within the first rows) and which headers are not recognised."""
    if channel == "news":
        news.parse_feed(data)
        return Inspection([], HeaderMap(), 0)
    first: tuple[int, list[Any]] | None = None
    scanned = 0
    for number, row in read_rows(data=data, filename=filename):
        if isinstance(row, dict):
            return Inspection(list(row), map_headers(channel, list(row), mapping), 0)
        if isinstance(row, RowProblem) or _is_blank(row):
            continue
        found = map_headers(channel, row, mapping)
        if not found.missing(channel):
            return Inspection([str(h or "") for h in row], found, number)
        if first is None:
            first = (number, row)
        scanned += 1
        if scanned >= HEADER_SCAN_ROWS:
            break
    if first is None:
        raise FileRejected(_("Tệp không có dòng dữ liệu nào."))
    number, row = first
    return Inspection([str(h or "") for h in row], map_headers(channel, row, mapping), number)


def _check(channel: str, values: dict[str, Any], lookups: Lookups, round_name: str) -> Checked:
    if channel == "petitions":
        return check_petition(values, lookups, round_name=round_name)
    if channel == "feedback":
        return check_feedback(values, lookups)
    return check_post(values, lookups)


def _checked_rows(
    *,
    data: bytes,
    filename: str,
    channel: str,
    mapping: dict[str, str] | None,
    lookups: Lookups,
    round_name: str,
) -> Iterator[tuple[int, Checked, bool]]:
    """(row number, checked row, already known) for every data row of the file."""
    if channel == "news":
        for entry in news.feed_entries(
            data=data,
            feed_url=filename,
            known_url=lambda url: Signal.objects.filter(channel=C.NEWS, url=url).exists(),
        ):
            yield entry.number, entry.checked, entry.known
        return
    header: HeaderMap | None = None
    first_headers: list[Any] | None = None
    scanned = 0
    dict_maps: dict[tuple[str, ...], HeaderMap] = {}
    any_row = False
    for number, row in read_rows(data=data, filename=filename):
        if isinstance(row, RowProblem):
            any_row = True
            yield number, Checked(None, [RowError("", row.message)], []), False
            continue
        if isinstance(row, dict):
            any_row = True
            keys = tuple(str(k) for k in row)
            found = dict_maps.get(keys)
            if found is None:
                found = dict_maps[keys] = map_headers(channel, list(keys), mapping)
            cells = list(row.values())
            values = {key: cells[i] for key, i in found.index.items()}
            yield number, _check(channel, values, lookups, round_name), False
            continue
        if _is_blank(row):
            continue
        if header is None:
            found = map_headers(channel, row, mapping)
            if not found.missing(channel):
                header = found
                continue
            first_headers = first_headers or row
            scanned += 1
            if scanned >= HEADER_SCAN_ROWS:
                raise _missing_columns_error(
                    channel, first_headers, map_headers(channel, first_headers, mapping)
                )
            continue
        any_row = True
        values = {key: row[i] if i < len(row) else None for key, i in header.index.items()}
        yield number, _check(channel, values, lookups, round_name), False
    if header is None and first_headers is not None:
        raise _missing_columns_error(
            channel, first_headers, map_headers(channel, first_headers, mapping)
        )
    if not any_row:
        raise FileRejected(_("Tệp không có dòng dữ liệu nào."))


# ---- imports ------------------------------------------------------------------------


class _Spool:
    """Checked records between the two passes: pickled into a spooled temporary file."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115

    def append(self, record: Record) -> None:
        # One self-contained pickle per record (a shared pickler's memo would mix them up).
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def records(self) -> Iterator[Record]:
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                # Our own records, written a moment ago to a private temporary file.
                record = pickle.load(self._file)  # noqa: S301
            except EOFError:
                return
            yield record

    def close(self) -> None:
        self._file.close()


def _batch_update(batch: ImportBatch | None, **values: Any) -> None:
    if batch is not None and batch.pk:
        values.setdefault("heartbeat_at", timezone.now())
        ImportBatch.objects.filter(pk=batch.pk).update(**values)
        for key, value in values.items():
            setattr(batch, key, value)


def import_file(
    *,
    data: bytes,
    filename: str,
    channel: str,
    by: User | None,
    round_name: str = "",
    only_valid: bool = False,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
) -> ImportReport:
    """Check every row of a file, then store the signals it carries, each once.

    With a bad row and without `only_valid`, nothing is stored and the report lists the
    bad rows. A file that cannot be read at all raises FileRejected (a ValidationError).
    `by` is None for the command line (the operator of the machine).
    """
    if by is not None:
        policy.require(by, "intake.signal_import")
    if channel not in CHANNELS:
        raise ValidationError({"channel": _("Loại dữ liệu nhập không hợp lệ.")})
    round_name = normalize_text(round_name)[:255] or default_round_name(filename)
    report = ImportReport(
        channel=channel,
        file_name=filename,
        round_name=round_name if channel == "petitions" else "",
    )
    notify: Progress = progress or (lambda phase, done, total: None)
    lookups = Lookups.load()

    # Pass 1: check every row; nothing is written. Good rows wait in a spool (memory for a
    # small file, a temporary file on disk for a big one), so the file is parsed only once.
    kept = _Spool()
    try:
        return _import_passes(
            kept,
            data=data,
            filename=filename,
            channel=channel,
            by=by,
            round_name=round_name,
            only_valid=only_valid,
            mapping=mapping,
            notify=notify,
            batch=batch,
            lookups=lookups,
            report=report,
        )
    finally:
        kept.close()


def _import_passes(
    kept: _Spool,
    *,
    data: bytes,
    filename: str,
    channel: str,
    by: User | None,
    round_name: str,
    only_valid: bool,
    mapping: dict[str, str] | None,
    notify: Progress,
    batch: ImportBatch | None,
    lookups: Lookups,
    report: ImportReport,
) -> ImportReport:
    known_in_feed = 0
    rows = _checked_rows(
        data=data,
        filename=filename,
        channel=channel,
        mapping=mapping,
        lookups=lookups,
        round_name=round_name,
    )
    for number, checked, known in rows:
        report.rows += 1
        if known:
            known_in_feed += 1
        if checked.errors:
            report.error_rows += 1
            report.errors.extend(_line(number, e) for e in checked.errors)
        report.warnings.extend(_line(number, w) for w in checked.warnings)
        if checked.record is not None:
            kept.append(checked.record)
        if report.rows % 500 == 0:
            notify("check", report.rows, 0)
    notify("check", report.rows, report.rows)
    if report.errors and not only_valid:
        return report

    # Pass 2: write, all in one transaction.
    notify("write", 0, report.rows)
    records = kept.records()
    report.known = known_in_feed
    seen: set[tuple[str, str]] = set()
    done = 0
    with transaction.atomic():
        round = _round(round_name, by=by) if channel == "petitions" else None
        target = batch
        if target is None:
            target = ImportBatch.objects.create(
                channel=channel,
                file_name=filename[:255],
                size=len(data),
                round=round,
                round_name=report.round_name,
                only_valid=only_valid,
                status=ImportBatch.Status.WRITING,
                created_by=by if by is not None and by.pk else None,
            )
        chunk: list[Record] = []

        def flush() -> None:
            new, known = _store_chunk(chunk, by=by, batch=target, round=round)
            report.new += new
            report.known += known
            chunk.clear()

        for record in records:
            done += 1
            if record.key in seen:
                report.known += 1
                continue
            seen.add(record.key)
            chunk.append(record)
            if len(chunk) >= CHUNK:
                flush()
                notify("write", done, report.rows)
        if chunk:
            flush()
        notify("write", report.rows, report.rows)
        report.stored = True
        report.batch_id = target.pk
        _finish(target, report, round=round)
        audit.record(
            actor=by,
            action="intake.import",
            target=target,
            scope=f"import:{target.pk}",
            channel=channel,
            file=filename,
            round=report.round_name,
            rows=report.rows,
            new=report.new,
            known=report.known,
            bad_rows=report.error_rows,
            only_valid=only_valid,
        )
    return report


def _finish(batch: ImportBatch, report: ImportReport, *, round: VoterContactRound | None) -> None:
    errors = report.errors[:MAX_LISTED_ERRORS]
    if len(report.errors) > MAX_LISTED_ERRORS:
        errors.append(_("… và %(n)s lỗi khác.") % {"n": len(report.errors) - MAX_LISTED_ERRORS})
    _batch_update(
        batch,
        status=ImportBatch.Status.DONE if report.stored else ImportBatch.Status.REJECTED,
        round=round or batch.round,
        total_rows=report.rows,
        processed_rows=report.rows,
        new_count=report.new,
        known_count=report.known,
        error_count=report.error_rows,
        errors=errors,
        warnings=report.warnings[:MAX_LISTED_ERRORS],
        message=report.summary(),
        finished_at=timezone.now(),
    )


# ---- web imports (through a background task) ----------------------------------------
