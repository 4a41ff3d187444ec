"""The append-only, hash-chained audit log: record events and verify the chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from phoihop.core.models import AuditEvent, User

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(fields)).encode("utf-8")).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    # The timestamp is hashed in ISO form with microseconds so a re-read gives the same text.
    return {
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "scope": event.scope,
        "before": event.before,
        "after": event.after,
        "data": event.data,
    }


def _lock_chain() -> None:
    """Serialise writers so the chain never forks (SQLite already serialises writes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(727001)")


def _jsonable(value: Any) -> Any:
    return json.loads(_canonical(value))


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` of `obj`, in a JSON-safe form, for before/after records."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        result[name] = getattr(obj, getattr(field, "attname", name))
    return _jsonable(result)


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    scope: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction of the change it records."""
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_name=str(actor) if actor is not None and actor.pk else "",
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:300],
            scope=scope,
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            data=_jsonable(data),
            prev_hash=last or GENESIS,
        )
        event.hash = event_hash(prev_hash=event.prev_hash, fields=_hashed_fields(event))
        event.save()
    return event


def record_many(*, actor: User | None, events: list[dict[str, Any]]) -> int:
    """Append many events in order with one lock and one insert (bulk triage). Each event is
    a dict of `action`, `target_type`, `target_id`, `target_repr`, `scope` and `data`."""
    if not events:
        return 0
    with transaction.atomic():
        _lock_chain()
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        rows = []
        now = timezone.now()
        for item in events:
            event = AuditEvent(
                at=now,
                actor=actor if actor is not None and actor.pk else None,
                actor_name=str(actor) if actor is not None and actor.pk else "",
                action=item["action"],
                target_type=item["target_type"],
                target_id=item["target_id"],
                target_repr=item.get("target_repr", "")[:300],
                scope=item.get("scope", ""),
                before=None,
                after=None,
                data=_jsonable(item.get("data", {})),
                prev_hash=prev,
            )
            event.hash = event_hash(prev_hash=prev, fields=_hashed_fields(event))
            prev = event.hash
            rows.append(event)
        AuditEvent.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the log in order and report the first event whose link or content does not match."""
    prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != prev:
            return ChainReport(checked, event.pk, "prev_hash")
        if event_hash(prev_hash=prev, fields=_hashed_fields(event)) != event.hash:
            return ChainReport(checked, event.pk, "hash")
        prev = event.hash
        checked += 1
    return ChainReport(checked, None, "")
