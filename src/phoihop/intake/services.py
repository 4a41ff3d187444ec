"""Every write of intake: imports, feedback, collaborator reports, API items, news feeds.

Each signal is stored once, keyed by (source, normalised content hash). A file is checked
row by row before anything is written, then written in one transaction, so a bad row or a
crash leaves the database as it was; `only_valid` stores the good rows and reports the bad.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit
from phoihop.core.models import AdministrativeUnit, User
from phoihop.intake import hooks, news, permissions
from phoihop.intake.files import (
    FileRejected,
    RowProblem,
    attachment_type,
    read_rows,
)
from phoihop.intake.headers import COLUMNS, IMPORT_CHANNELS, HeaderMap, map_headers
from phoihop.intake.models import (
    Attachment,
    CouncilSession,
    FeedSource,
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
    check_generic,
    check_petition,
    check_post,
)
from phoihop.triage.normalize import fold, normalize_text

C = Signal.Channel
Progress = Callable[[str, int, int], None]
CHANNELS = (*IMPORT_CHANNELS, "news")
CHUNK = 1000
# Checked rows wait for the writing pass in memory up to this size, then on disk, so memory
# stays flat whatever the file size and the file is parsed once.
SPOOL_IN_MEMORY = 8 * 2**20
MAX_LISTED_ERRORS = 1000
HEADER_SCAN_ROWS = 10


# ---- tracking codes -----------------------------------------------------------------

# No 0/O, 1/I/L: a citizen reads the code aloud on the phone.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    """«PA-7K3M-9XQ2»: short, unambiguous, random (31⁸ ≈ 8.5·10¹¹ codes)."""
    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"PA-{chars[:4]}-{chars[4:]}"


def _fresh_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {new_tracking_code() for _ in range(count - len(codes))}
        taken = set(
            Signal.objects.filter(tracking_code__in=wanted).values_list("tracking_code", flat=True)
        )
        codes |= wanted - taken
    return list(codes)


# ---- storing records ----------------------------------------------------------------


def _signal_from(
    record: Record,
    *,
    by: User | None,
    batch: ImportBatch | None = None,
    round: VoterContactRound | None = None,
    tracking_code: str | None = None,
) -> Signal:
    text = record.text
    return Signal(
        channel=record.channel,
        source=record.source,
        external_id=record.external_id,
        raw_text=record.raw_text,
        text=text,
        search_text=fold(f"{record.title} {text}"),
        content_hash=record.content_hash,
        title=record.title,
        url=record.url,
        place_id=record.place_id,
        occurred_at=record.occurred_at,
        metadata=record.metadata,
        round=round,
        tracking_code=tracking_code,
        created_by=by if by is not None and by.pk else None,
        batch=batch,
    )


def _known_keys(records: list[Record]) -> set[tuple[str, str]]:
    hashes = {r.content_hash for r in records}
    return set(Signal.objects.filter(content_hash__in=hashes).values_list("source", "content_hash"))


def _store_chunk(
    records: list[Record],
    *,
    by: User | None,
    batch: ImportBatch | None,
    round: VoterContactRound | None,
) -> tuple[int, int]:
    """Insert the records not stored yet; (new, already known). Call inside a transaction."""
    known = _known_keys(records)
    news_urls = {r.url for r in records if r.channel == C.NEWS and r.url}
    known_urls: set[str] = set()
    if news_urls:
        known_urls = set(
            Signal.objects.filter(channel=C.NEWS, url__in=news_urls).values_list("url", flat=True)
        )
    fresh = [
        r
        for r in records
        if r.key not in known and not (r.channel == C.NEWS and r.url in known_urls)
    ]
    codes = iter(_fresh_codes(sum(1 for r in fresh if r.channel == C.FEEDBACK)))
    signals = [
        _signal_from(
            r,
            by=by,
            batch=batch,
            round=round,
            tracking_code=next(codes) if r.channel == C.FEEDBACK else None,
        )
        for r in fresh
    ]
    try:
        with transaction.atomic():
            Signal.objects.bulk_create(signals)
        queue_triage([s.pk for s in signals])
        return len(signals), len(records) - len(signals)
    except IntegrityError:
        pass
    # Another import stored some of these meanwhile: insert one by one, skipping those.
    new = 0
    stored = []
    for signal in signals:
        try:
            with transaction.atomic():
                signal.pk = None
                signal.save(force_insert=True)
            new += 1
            stored.append(signal.pk)
        except IntegrityError:
            continue
    queue_triage(stored)
    return new, len(records) - new


# ---- reports ------------------------------------------------------------------------


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


def _round(name: str, *, by: User | None) -> VoterContactRound:
    existing = VoterContactRound.objects.filter(name=name).first()
    if existing is not None:
        return existing
    created = VoterContactRound.objects.create(name=name)
    audit.record(actor=by, action="intake.round.create", target=created, name=name)
    return created


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
        permissions.require(by, "signal.import")
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


@transaction.atomic
def import_batch_create(
    *,
    by: User,
    upload: UploadedFile,
    channel: str,
    round_name: str = "",
    only_valid: bool = False,
) -> ImportBatch:
    """Keep an uploaded file for import; the caller queues the task (or asks for a mapping)."""
    permissions.require(by, "signal.import")
    if channel not in CHANNELS:
        raise ValidationError({"channel": _("Loại dữ liệu nhập không hợp lệ.")})
    size = upload.size or 0
    from phoihop.intake.files import max_file_bytes

    if size > max_file_bytes():
        raise ValidationError(
            {"file": _("Tệp quá lớn; giới hạn là %(n)s MB.") % {"n": max_file_bytes() // 2**20}}
        )
    data = upload.read()
    name = PurePath(upload.name or "tep").name[:255]
    batch = ImportBatch(
        channel=channel,
        file_name=name,
        size=len(data),
        round_name=normalize_text(round_name)[:255],
        only_valid=only_valid,
        status=ImportBatch.Status.QUEUED,
        created_by=by,
    )
    digest = hashlib.sha256(data).hexdigest()[:16]
    batch.file.save(f"{digest}.bin", ContentFile(data), save=False)
    batch.save()
    audit.record(
        actor=by,
        action="intake.import.upload",
        target=batch,
        scope=f"import:{batch.pk}",
        channel=channel,
        file=name,
        size=len(data),
    )
    return batch


def import_batch_inspect(*, batch: ImportBatch) -> Inspection:
    with batch.file.open("rb") as handle:
        data = handle.read()
    return inspect_file(
        data=data, filename=batch.file_name, channel=batch.channel, mapping=batch.mapping
    )


@transaction.atomic
def import_batch_set_mapping(
    *, batch: ImportBatch, by: User, mapping: dict[str, str]
) -> ImportBatch:
    """Record the operator's column mapping (folded header → column key, "" to ignore)."""
    permissions.require(by, "signal.import")
    allowed = {c.key for c in COLUMNS.get(batch.channel, ())} | {""}
    if any(value not in allowed for value in mapping.values()):
        raise ValidationError({"mapping": _("Cột được chọn không hợp lệ.")})
    keys = [v for v in mapping.values() if v]
    if len(keys) != len(set(keys)):
        raise ValidationError({"mapping": _("Mỗi cột chỉ được ghép với một cột trong tệp.")})
    before = batch.mapping
    batch.mapping = mapping
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["mapping", "status"])
    audit.record(
        actor=by,
        action="intake.import.mapping",
        target=batch,
        scope=f"import:{batch.pk}",
        before={"mapping": before},
        after={"mapping": mapping},
    )
    return batch


def import_batch_mark(*, batch: ImportBatch, status: str) -> None:
    _batch_update(batch, status=status)


def import_batch_reject(*, batch: ImportBatch, error: ValidationError) -> None:
    """The file cannot be read at all; the batch keeps the reason, nothing else is written."""
    _batch_update(
        batch,
        status=ImportBatch.Status.REJECTED,
        message=" ".join(error.messages),
        finished_at=timezone.now(),
    )


def import_batch_run(*, batch_id: int) -> ImportReport | None:
    """Run a queued web import (in the background worker); progress goes on the batch."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.FAILED):
        return None
    _batch_update(batch, status=ImportBatch.Status.CHECKING, processed_rows=0)

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "check":
            _batch_update(batch, processed_rows=done, total_rows=max(total, done))
        elif done == 0:
            _batch_update(batch, status=ImportBatch.Status.WRITING, total_rows=total)

    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
        report = import_file(
            data=data,
            filename=batch.file_name,
            channel=batch.channel,
            by=batch.created_by,
            round_name=batch.round_name,
            only_valid=batch.only_valid,
            mapping=batch.mapping or None,
            progress=progress,
            batch=batch,
        )
    except ValidationError as error:
        import_batch_reject(batch=batch, error=error)
        return None
    except Exception:
        _batch_update(
            batch,
            status=ImportBatch.Status.FAILED,
            message=_("Lỗi hệ thống khi nhập; dữ liệu chưa thay đổi. Vui lòng thử lại."),
            finished_at=timezone.now(),
        )
        raise
    if not report.stored:
        _finish(batch, report, round=None)
    return report


def _stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "PHOIHOP_IMPORT_STALE_SECONDS", 1800)))


def import_batches_recover(*, batch_ids: list[int] | None = None) -> list[ImportBatch]:
    """Running batches whose task died (no sign of life for PHOIHOP_IMPORT_STALE_SECONDS):
    marked «Lỗi hệ thống» with a message that offers to import again. The write phase is one
    transaction, so a batch still marked running when its worker died stored nothing."""
    cutoff = timezone.now() - _stale_after()
    running = (ImportBatch.Status.QUEUED, ImportBatch.Status.CHECKING, ImportBatch.Status.WRITING)
    stale = ImportBatch.objects.filter(status__in=running).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    if batch_ids is not None:
        stale = stale.filter(pk__in=batch_ids)
    recovered = []
    for batch in stale:
        with transaction.atomic():
            changed = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
                status=ImportBatch.Status.FAILED,
                message=_(
                    "Tiến trình nhập bị dừng giữa chừng (máy chủ xử lý nền đã khởi động lại); "
                    "dữ liệu chưa thay đổi. Bấm «Nhập lại» để chạy lại tệp này."
                ),
                finished_at=timezone.now(),
            )
            if not changed:
                continue
            audit.record(
                actor=None,
                action="intake.import.recover",
                target=batch,
                scope=f"import:{batch.pk}",
                before={"status": batch.status},
                after={"status": ImportBatch.Status.FAILED},
            )
        batch.refresh_from_db()
        recovered.append(batch)
    return recovered


@transaction.atomic
def import_batch_retry(*, batch: ImportBatch, by: User | None) -> ImportBatch:
    """Queue a failed batch again (the caller enqueues the task); `by` None: the recovery
    command run by the operator from cron."""
    if by is not None:
        permissions.require(by, "signal.import")
    if batch.status != ImportBatch.Status.FAILED:
        raise ValidationError(_("Chỉ nhập lại được lần nhập bị lỗi hệ thống."))
    _batch_update(batch, status=ImportBatch.Status.QUEUED, message="", finished_at=None)
    audit.record(
        actor=by, action="intake.import.retry", target=batch, scope=f"import:{batch.pk}"
    )
    return batch


def signal_contact_for(*, signal: Signal, user: User) -> dict[str, str] | None:
    """The citizen's contact details on `signal` for `user`, each viewing audited; None if
    `user` may not see them (or there are none)."""
    metadata = signal.metadata or {}
    personal = {k: str(metadata[k]) for k in permissions.PERSONAL_KEYS if metadata.get(k)}
    if not personal or not permissions.can_see_contact(user, signal):
        return None
    with transaction.atomic():
        audit.record(
            actor=user,
            action="signal.contact.view",
            target=signal,
            scope=f"signal:{signal.pk}",
            fields=sorted(personal),
        )
    return personal


# ---- single signals: feedback form, collaborator form, API --------------------------

MAX_ATTACHMENTS = 5


def max_attachment_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES", 5 * 2**20))


@dataclass(frozen=True)
class CheckedAttachment:
    upload: UploadedFile
    content_type: str
    data: bytes


def check_attachments(files: list[UploadedFile]) -> list[CheckedAttachment]:
    """Type from the bytes (PNG, JPEG, WebP, GIF, PDF), size within the limit."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Chỉ được gửi tối đa %(n)s tệp.") % {"n": MAX_ATTACHMENTS}}
        )
    checked = []
    limit = max_attachment_bytes()
    for upload in files:
        name = PurePath(upload.name or "tep").name
        if (upload.size or 0) > limit:
            raise ValidationError(
                {
                    "attachments": _("Tệp «%(name)s» quá lớn; tối đa %(n)s MB mỗi tệp.")
                    % {"name": name, "n": limit // 2**20}
                }
            )
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(
                {
                    "attachments": _("Tệp «%(name)s» quá lớn; tối đa %(n)s MB mỗi tệp.")
                    % {"name": name, "n": limit // 2**20}
                }
            )
        content_type = attachment_type(data[:16])
        if content_type is None:
            raise ValidationError(
                {
                    "attachments": _(
                        "Tệp «%(name)s» không phải ảnh (PNG, JPEG, WebP, GIF) hoặc PDF."
                    )
                    % {"name": name}
                }
            )
        checked.append(CheckedAttachment(upload, content_type, data))
    return checked


_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


@dataclass(frozen=True)
class Received:
    signal: Signal
    created: bool


def _receive(
    record: Record, *, by: User | None, round: VoterContactRound | None = None
) -> Received:
    existing = Signal.objects.filter(source=record.source, content_hash=record.content_hash).first()
    if existing is None and record.channel == C.NEWS and record.url:
        existing = Signal.objects.filter(channel=C.NEWS, url=record.url).first()
    if existing is not None:
        return Received(existing, False)
    code = _fresh_codes(1)[0] if record.channel == C.FEEDBACK else None
    signal = _signal_from(record, by=by, round=round, tracking_code=code)
    try:
        with transaction.atomic():
            signal.save(force_insert=True)
    except IntegrityError:
        # Sent twice at the same moment (a double click): the other request stored it.
        return Received(
            Signal.objects.get(source=record.source, content_hash=record.content_hash), False
        )
    queue_triage([signal.pk])
    return Received(signal, True)


def queue_triage(signal_ids: Sequence[int | None]) -> None:
    """Tell the apps above (triage) that new signals are stored, once they really are."""
    ids = [pk for pk in signal_ids if pk is not None]
    if not ids:
        return

    def announce() -> None:
        for hook in hooks.signals_stored:
            hook(ids)

    transaction.on_commit(announce)


@transaction.atomic
def signal_record(
    *, record: Record, by: User | None, round: VoterContactRound | None = None
) -> Received:
    """Store one checked record (once), audited; for demo data and integrations in Python."""
    received = _receive(record, by=by, round=round)
    if received.created:
        audit.record(
            actor=by,
            action="signal.record",
            target=received.signal,
            scope=f"signal:{received.signal.pk}",
            channel=record.channel,
        )
    return received


def _raise_row_errors(errors: list[RowError], prefix: str = "") -> None:
    if errors:
        raise ValidationError({f"{prefix}{e.field or '__all__'}": e.message for e in errors})


@transaction.atomic
def feedback_submit(
    *,
    content: str,
    name: str = "",
    contact: str = "",
    place: AdministrativeUnit | None = None,
    attachments: list[UploadedFile] | None = None,
    by: User | None = None,
) -> Received:
    """A citizen's feedback from the public form: stored once, with a tracking code."""
    files = check_attachments(list(attachments or []))
    checked = check_feedback(
        {
            "content": content,
            "name": name,
            "contact": contact,
            "place": place.name if place else "",
            "place_id": place.pk if place else None,
        },
        Lookups(),
    )
    _raise_row_errors(checked.errors)
    assert checked.record is not None
    checked.record.metadata["via"] = "web"
    received = _receive(checked.record, by=by)
    if not received.created:
        return received
    signal = received.signal
    for item in files:
        digest = hashlib.sha256(item.data).hexdigest()
        attachment = Attachment(
            signal=signal,
            original_name=PurePath(item.upload.name or "tep").name[:255],
            content_type=item.content_type,
            size=len(item.data),
            sha256=digest,
        )
        attachment.file.save(
            f"{digest[:24]}.{_EXTENSIONS[item.content_type]}", ContentFile(item.data), save=False
        )
        attachment.save()
    audit.record(
        actor=by,
        action="signal.feedback",
        target=signal,
        scope=f"signal:{signal.pk}",
        channel=signal.channel,
        tracking_code=signal.tracking_code,
        attachments=len(files),
    )
    return received


MOODS = {
    "positive": "Đồng tình, phấn khởi",
    "neutral": "Bình thường",
    "worried": "Băn khoăn, lo lắng",
    "upset": "Bức xúc",
}


@transaction.atomic
def collaborator_report(
    *,
    reporter: str,
    phone: str = "",
    place: AdministrativeUnit | None = None,
    topic: str,
    mood: str,
    content: str,
    period: str = "",
    by: User | None = None,
) -> Received:
    """A periodic report of a public-opinion collaborator (cộng tác viên dư luận xã hội)."""
    errors: list[RowError] = []
    if not normalize_text(reporter):
        errors.append(RowError("reporter", _("Cần ghi họ tên cộng tác viên.")))
    if not normalize_text(topic):
        errors.append(RowError("topic", _("Cần ghi chủ đề dư luận.")))
    if mood not in MOODS:
        errors.append(RowError("mood", _("Tâm trạng không hợp lệ.")))
    if not normalize_text(content):
        errors.append(RowError("content", _("Cần ghi ý kiến, dư luận của nhân dân.")))
    _raise_row_errors(errors)
    reporter, phone = normalize_text(reporter)[:200], normalize_text(phone)[:40]
    topic, period = normalize_text(topic)[:500], normalize_text(period)[:100]
    key = "\n".join([topic, content, period, str(place.pk if place else "")])
    record = Record(
        channel=C.COLLABORATOR,
        source=f"ctv:{fold(reporter)}:{''.join(ch for ch in phone if ch.isdigit())}"[:500],
        raw_text=content,
        key_text=key,
        title=topic,
        place_id=place.pk if place else None,
        metadata={
            "reporter": reporter,
            "phone": phone,
            "mood": mood,
            "period": period,
            "via": "web",
        },
    )
    received = _receive(record, by=by)
    if received.created:
        audit.record(
            actor=by,
            action="signal.collaborator",
            target=received.signal,
            scope=f"signal:{received.signal.pk}",
            mood=mood,
        )
    return received


# ---- API items ----------------------------------------------------------------------


def _check_item(item: dict[str, Any], lookups: Lookups, *, by: User) -> Checked:
    """One API item (already shaped by the API schema) as a checked record."""
    channel = item.get("channel") or C.API
    errors: list[RowError] = []
    place_id = None
    place_name = ""
    if item.get("place") is not None:
        code = item["place"]
        unit = (
            AdministrativeUnit.objects.filter(code=code).order_by("level").first()
            if isinstance(code, int) and 0 < code < 2**31
            else None
        )
        if unit is None:
            errors.append(
                RowError("place", _("không có đơn vị hành chính mã %(c)s") % {"c": item["place"]})
            )
        else:
            place_id, place_name = unit.pk, unit.name
    values = {
        "content": item.get("text"),
        "title": item.get("title"),
        "url": item.get("url"),
        "external_id": item.get("external_id"),
        "time": item.get("occurred_at"),
        "date": item.get("occurred_at"),
        "place": place_name,
        "place_id": place_id,
        "metadata": item.get("metadata") or {},
        "name": item.get("name"),
        "contact": item.get("contact"),
        "deputy": item.get("deputy"),
        "post_id": item.get("external_id"),
        "platform": item.get("platform"),
        "author": item.get("author"),
        "reactions": item.get("reactions"),
        "shares": item.get("shares"),
        "comments": item.get("comments"),
    }
    if channel == C.PETITION:
        if not normalize_text(item.get("round") or ""):
            errors.append(RowError("round", _("thiếu tên đợt tiếp xúc cử tri")))
        checked = check_petition(
            values, lookups, round_name=normalize_text(item.get("round") or "")
        )
    elif channel == C.FEEDBACK:
        checked = check_feedback(values, lookups)
    elif channel == C.SOCIAL:
        checked = check_post(values, lookups)
    else:
        source = normalize_text(item.get("source") or "") or f"api:{by.username}"
        checked = check_generic(values, lookups, channel=channel, source=source)
    if checked.record is not None:
        checked.record.place_id = place_id or checked.record.place_id
        checked.record.metadata.setdefault("via", "api")
        extra = item.get("metadata")
        if isinstance(extra, dict) and channel != C.API:
            checked.record.metadata.update({k: v for k, v in extra.items() if k not in ("via",)})
    return Checked(
        checked.record if not errors else None, errors + checked.errors, checked.warnings
    )


@dataclass
class Receipt:
    new: int
    known: int
    signals: list[Received]


# Names of the API fields, for the record fields that are called otherwise internally.
API_FIELDS = {"content": "text", "time": "occurred_at", "date": "occurred_at"}
API_FIELDS["post_id"] = "external_id"


def signals_receive(*, by: User, items: list[dict[str, Any]], single: bool = False) -> Receipt:
    """Store API items all or nothing: every item is checked before anything is written."""
    permissions.require(by, "signal.submit_api")
    lookups = Lookups.load()
    checked = [_check_item(item, lookups, by=by) for item in items]
    errors: dict[str, list[str]] = {}
    for index, result in enumerate(checked):
        for error in result.errors:
            name = API_FIELDS.get(error.field, error.field) or "text"
            if single:
                errors.setdefault(name, []).append(error.message)
            else:
                errors.setdefault(f"signals[{index}].{name}", []).append(_line(index + 1, error))
    if errors:
        raise ValidationError(errors)
    receipt = Receipt(0, 0, [])
    with transaction.atomic():
        batch = None
        if len(items) > 1:
            batch = ImportBatch.objects.create(
                channel="api",
                file_name=f"API ({by.username})"[:255],
                status=ImportBatch.Status.WRITING,
                created_by=by,
            )
        for item, result in zip(items, checked, strict=True):
            assert result.record is not None
            round = None
            if result.record.channel == C.PETITION:
                round = _round(normalize_text(item["round"])[:255], by=by)
            received = _receive(result.record, by=by, round=round)
            if received.created and batch is not None:
                Signal.objects.filter(pk=received.signal.pk).update(batch=batch)
            receipt.signals.append(received)
            receipt.new += received.created
            receipt.known += not received.created
        if batch is not None:
            _batch_update(
                batch,
                status=ImportBatch.Status.DONE,
                total_rows=len(items),
                processed_rows=len(items),
                new_count=receipt.new,
                known_count=receipt.known,
                message=_("Đã nhận %(new)s tín hiệu mới, %(known)s đã có từ trước.")
                % {"new": receipt.new, "known": receipt.known},
                finished_at=timezone.now(),
            )
            audit.record(
                actor=by,
                action="intake.api",
                target=batch,
                scope=f"import:{batch.pk}",
                new=receipt.new,
                known=receipt.known,
            )
        else:
            for received in receipt.signals:
                if received.created:
                    audit.record(
                        actor=by,
                        action="intake.api",
                        target=received.signal,
                        scope=f"signal:{received.signal.pk}",
                        channel=received.signal.channel,
                    )
    return receipt


# ---- news feeds ---------------------------------------------------------------------


@transaction.atomic
def feed_create(*, by: User, name: str, url: str) -> FeedSource:
    permissions.require(by, "feed.manage")
    from phoihop.intake.records import clean_url

    try:
        clean = clean_url(url)
    except ValueError:
        clean = ""
    if not clean:
        raise ValidationError(
            {"url": _("Địa chỉ nguồn tin không hợp lệ (cần http:// hoặc https://).")}
        )
    if FeedSource.objects.filter(url=clean).exists():
        raise ValidationError({"url": _("Nguồn tin này đã có.")})
    if not normalize_text(name):
        raise ValidationError({"name": _("Cần nhập tên nguồn tin.")})
    feed = FeedSource.objects.create(name=normalize_text(name)[:255], url=clean, created_by=by)
    audit.record(
        actor=by, action="intake.feed.create", target=feed, after={"name": feed.name, "url": clean}
    )
    return feed


@transaction.atomic
def feed_set_active(*, by: User, feed: FeedSource, active: bool) -> FeedSource:
    permissions.require(by, "feed.manage")
    before = feed.is_active
    feed.is_active = active
    feed.save(update_fields=["is_active"])
    audit.record(
        actor=by,
        action="intake.feed.toggle",
        target=feed,
        before={"is_active": before},
        after={"is_active": active},
    )
    return feed


def feed_poll(*, feed: FeedSource) -> ImportReport | None:
    """Read a feed once and store its new articles; the feed keeps the outcome."""
    try:
        data = news.fetch(feed.url)
        report = import_file(data=data, filename=feed.url, channel="news", by=None, only_valid=True)
    except ValidationError as error:
        FeedSource.objects.filter(pk=feed.pk).update(
            last_polled_at=timezone.now(), last_error=" ".join(error.messages)[:2000], last_new=0
        )
        return None
    FeedSource.objects.filter(pk=feed.pk).update(
        last_polled_at=timezone.now(),
        last_new=report.new,
        last_error="\n".join(report.errors[:20]),
    )
    return report


def feeds_poll(*, feed_ids: list[int] | None = None) -> int:
    """Poll every active feed (or those given); the number of new articles stored."""
    feeds = FeedSource.objects.filter(is_active=True)
    if feed_ids is not None:
        feeds = FeedSource.objects.filter(pk__in=feed_ids)
    total = 0
    for feed in feeds:
        report = feed_poll(feed=feed)
        total += report.new if report else 0
    return total


# ---- demo helpers -------------------------------------------------------------------


@transaction.atomic
def council_session_ensure(
    *, term: str, number: int, title: str, by: User | None
) -> CouncilSession:
    session = CouncilSession.objects.filter(term=term, number=number).first()
    if session is None:
        session = CouncilSession.objects.create(term=term, number=number, title=title)
        audit.record(actor=by, action="intake.session.create", target=session, title=title)
    return session


@transaction.atomic
def round_ensure(
    *, name: str, session: CouncilSession | None, by: User | None
) -> VoterContactRound:
    """The voter-contact round with this name, created (and tied to a session) if missing."""
    voter_round = _round(normalize_text(name)[:255], by=by)
    if session is not None and voter_round.session_id != session.pk:
        before = voter_round.session_id
        voter_round.session = session
        voter_round.save(update_fields=["session"])
        audit.record(
            actor=by,
            action="intake.round.session",
            target=voter_round,
            before={"session": before},
            after={"session": session.pk},
        )
    return voter_round
