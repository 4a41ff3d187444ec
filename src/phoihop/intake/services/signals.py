"""Storing a signal exactly once, keyed by (source, normalised content hash): the one
way any app records a signal (`signal_record`), tracking codes, and telling the apps
above that signals are stored."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from phoihop.core import audit
from phoihop.core.models import User
from phoihop.intake import hooks, permissions
from phoihop.intake.models import (
    ImportBatch,
    Signal,
    VoterContactRound,
)
from phoihop.intake.records import (
    Record,
    RowError,
)
from phoihop.triage.normalize import fold

C = Signal.Channel

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


def _raise_row_errors(errors: list[RowError], prefix: str = "") -> None:
    if errors:
        raise ValidationError({f"{prefix}{e.field or '__all__'}": e.message for e in errors})
