"""The append-only, keyed hash chain of the audit log: record events and verify the chain.

Three defences, each catching what the one before cannot:
- the database refuses UPDATE, DELETE and REPLACE of events (triggers, migration 0004);
- each event's hash is an HMAC-SHA256 under a key that is never stored in the database
  (`PHOIHOP_AUDIT_KEY`, else a key file generated once under `var/`), so whoever can write
  to the database cannot recompute a rewritten chain;
- the chain head (last id, its hash, the count) is checkpointed, signed with the same key,
  in a file outside the database (`var/audit-checkpoint.json`, and in every backup), so
  deleting the newest events (which leaves a valid, shorter chain) is caught too.

Events written before the key existed (plain SHA-256) are accepted only up to the last event
that existed when the key file was created (recorded in the key file, or
`PHOIHOP_AUDIT_LEGACY_UNTIL` with a key from the environment).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from phoihop.core import bulk
from phoihop.core.models import AuditEvent, User

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


# ---- the key -------------------------------------------------------------------------

_key_lock = threading.Lock()


def key_file() -> Path:
    return Path(settings.PHOIHOP_AUDIT_KEY_FILE)


def _key_document() -> dict[str, Any]:
    """The key file ({"key", "legacy_until"}), created on first use with mode 0600.

    `legacy_until` is the last event that existed when the key was created: only events up
    to it may carry the old unkeyed hash."""
    path = key_file()
    with _key_lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
            document = {"key": secrets.token_hex(32), "legacy_until": last or 0}
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it in between
            else:
                with os.fdopen(fd, "w") as out:
                    json.dump(document, out)
        try:
            loaded = json.loads(path.read_text())
            key = str(loaded["key"])
            legacy = int(loaded.get("legacy_until", 0))
        except (ValueError, KeyError, TypeError) as error:
            raise RuntimeError(f"Tệp khóa nhật ký kiểm toán {path} không đọc được.") from error
    if len(key) < 32:
        raise RuntimeError(f"Khóa nhật ký kiểm toán trong {path} quá ngắn.")
    return {"key": key, "legacy_until": legacy}


def audit_key() -> bytes:
    """The chain key: PHOIHOP_AUDIT_KEY if set, else the key file under var/."""
    configured = settings.PHOIHOP_AUDIT_KEY
    if configured:
        return str(configured).encode("utf-8")
    return str(_key_document()["key"]).encode("utf-8")


def legacy_until() -> int:
    """The last event id that may still carry an unkeyed hash (written before the key)."""
    if settings.PHOIHOP_AUDIT_KEY:
        return int(settings.PHOIHOP_AUDIT_LEGACY_UNTIL)
    return int(_key_document()["legacy_until"])


def event_hash(*, prev_hash: str, fields: dict[str, Any], key: bytes | None = None) -> str:
    """The keyed hash of one event (HMAC-SHA256 of the previous hash and the fields); loops
    pass the `key` they read once."""
    message = (prev_hash + _canonical(fields)).encode("utf-8")
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def legacy_event_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """The unkeyed hash of events written before the chain was keyed."""
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
    jsonable: dict[str, Any] = _jsonable(result)
    return jsonable


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
    transaction.on_commit(_checkpoint_soon)
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
        key = audit_key()
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
            event.hash = event_hash(prev_hash=prev, fields=_hashed_fields(event), key=key)
            prev = event.hash
            rows.append(event)
        bulk.insert_many(rows)
    transaction.on_commit(_checkpoint_soon)
    return len(rows)


# ---- the checkpoint outside the database ---------------------------------------------


def checkpoint_file() -> Path:
    return Path(settings.PHOIHOP_AUDIT_CHECKPOINT_FILE)


def _sign(payload: dict[str, Any]) -> str:
    return hmac.new(audit_key(), _canonical(payload).encode("utf-8"), hashlib.sha256).hexdigest()


def write_checkpoint(path: Path | None = None) -> dict[str, Any] | None:
    """Write the signed chain head to `path` (the configured file by default); None if empty."""
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return None
    payload = {
        "id": head[0],
        "hash": head[1],
        "count": AuditEvent.objects.filter(id__lte=head[0]).count(),
        "at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
    }
    document = {**payload, "signature": _sign(payload)}
    target = path or checkpoint_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(document, indent=1))
    os.replace(temporary, target)
    return document


def read_checkpoint(path: Path | None = None) -> dict[str, Any] | None:
    """The checkpoint if there is one; raises ValueError if it is unreadable or forged."""
    target = path or checkpoint_file()
    if not target.exists():
        return None
    try:
        document = json.loads(target.read_text())
        payload = {k: document[k] for k in ("id", "hash", "count", "at")}
        signature = str(document["signature"])
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"Tệp điểm kiểm tra {target} không đọc được.") from error
    if not hmac.compare_digest(signature, _sign(payload)):
        raise ValueError(f"Chữ ký của tệp điểm kiểm tra {target} không khớp.")
    return payload


_last_checkpoint = 0.0


def _checkpoint_soon() -> None:
    """After a commit, refresh the checkpoint at most every PHOIHOP_AUDIT_CHECKPOINT_SECONDS."""
    global _last_checkpoint
    interval = float(settings.PHOIHOP_AUDIT_CHECKPOINT_SECONDS)
    if interval < 0:
        return
    now = time.monotonic()
    if _last_checkpoint and now - _last_checkpoint < interval:
        return
    _last_checkpoint = now
    # A read-only var/ must not fail the request that was already committed.
    with contextlib.suppress(OSError):
        write_checkpoint()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, chunk_size: int = 2000, checkpoint: Path | None = None) -> ChainReport:
    """Walk the log in order and report the first event whose link or content does not match,
    then compare the chain with the signed checkpoint (catches deleted newest events)."""
    prev = GENESIS
    checked = 0
    legacy = legacy_until()
    key = audit_key()
    seen: dict[int, str] = {}
    try:
        point = read_checkpoint(checkpoint)
    except ValueError:
        return ChainReport(0, 0, "checkpoint")
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != prev:
            return ChainReport(checked, event.pk, "prev_hash")
        fields = _hashed_fields(event)
        if event_hash(prev_hash=prev, fields=fields, key=key) != event.hash and (
            event.pk > legacy or legacy_event_hash(prev_hash=prev, fields=fields) != event.hash
        ):
            return ChainReport(checked, event.pk, "hash")
        prev = event.hash
        checked += 1
        if point is not None and event.pk == point["id"]:
            seen[event.pk] = event.hash
            if event.hash != point["hash"] or checked != point["count"]:
                return ChainReport(checked, event.pk, "checkpoint")
    if point is not None and point["id"] not in seen:
        # The checkpointed head is gone: the newest events were deleted.
        return ChainReport(checked, int(point["id"]), "checkpoint")
    return ChainReport(checked, None, "")
