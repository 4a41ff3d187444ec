"""The outbox: each message is a `Delivery` row written in the transaction of the event that
caused it (unique by key: never queued twice); a background task (`tasks.deliver`) claims
due rows in batches, sends them over one connection per channel and records each result as
soon as it is known. A claim older than the lease is taken over, so a worker killed mid-batch
loses nothing; failures are retried with a growing delay, then marked failed (admin page).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.notifications import channels
from phoihop.notifications.models import Delivery

D = Delivery.Status


@dataclass(frozen=True)
class Outgoing:
    channel: str
    recipient: str
    purpose: str
    subject: str
    text: str
    key: str
    html: str = ""
    about: str = ""


def queue(messages: Sequence[Outgoing]) -> int:
    """Put messages in the outbox (a key already there is left alone) and have them sent
    once the transaction commits. Messages on an unconfigured channel are recorded as
    skipped: nothing is sent. How many were new."""
    if not messages:
        return 0
    now = timezone.now()
    configured = {
        name: channels.channel(name).configured() for name in {m.channel for m in messages}
    }
    keys = [m.key for m in messages]
    known = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
    rows = [
        Delivery(
            channel=m.channel,
            recipient=m.recipient,
            purpose=m.purpose,
            subject=m.subject[:300],
            text=m.text,
            html=m.html,
            about=m.about[:100],
            key=m.key[:200],
            status=D.QUEUED if configured[m.channel] else D.SKIPPED,
            due_at=now,
        )
        for m in messages
        if m.key not in known
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if any(r.status == D.QUEUED for r in rows):
        kick()
    return len(rows)


# tasks.py imports these services (its tasks call them), so the sending task is
# looked up by its path when it is first needed.
DELIVER_TASK = "phoihop.notifications.tasks.deliver"


def kick(*, at: dt.datetime | None = None) -> None:
    """Have a worker drain the outbox (now, or not before `at`) once this transaction commits."""

    def enqueue() -> None:
        task = import_string(DELIVER_TASK)
        if at is not None and task.get_backend().supports_defer:
            task = task.using(run_after=at)
        task.enqueue()

    transaction.on_commit(enqueue)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.PHOIHOP_NOTIFY_LEASE_SECONDS)


def _rate() -> tuple[int, dt.timedelta]:
    return settings.PHOIHOP_NOTIFY_RATE_COUNT, dt.timedelta(
        seconds=settings.PHOIHOP_NOTIFY_RATE_SECONDS
    )


def _claim(*, limit: int, now: dt.datetime) -> list[Delivery]:
    """Take up to `limit` due deliveries for this worker (and those whose claim outlived the
    lease), leaving a recipient's messages beyond the rate limit for later."""
    waiting = Q(status=D.QUEUED, due_at__lte=now) | Q(
        status=D.SENDING, claimed_at__lt=now - lease()
    )
    with transaction.atomic():
        rows = Delivery.objects.filter(waiting).order_by("due_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        batch = list(rows[:limit])
        if not batch:
            return []
        allowed, window = _rate()
        since = now - window
        recent = dict(
            Delivery.objects.filter(
                recipient__in={d.recipient for d in batch}, status=D.SENT, sent_at__gte=since
            )
            .values_list("recipient")
            .annotate(n=Count("id"))
            .values_list("recipient", "n")
        )
        taken: list[Delivery] = []
        later: list[int] = []
        for delivery in batch:
            used = recent.get(delivery.recipient, 0)
            if used >= allowed:
                later.append(delivery.pk)
                continue
            recent[delivery.recipient] = used + 1
            taken.append(delivery)
        if later:
            Delivery.objects.filter(pk__in=later).update(
                status=D.QUEUED, due_at=now + window / allowed, claimed_at=None
            )
        Delivery.objects.filter(pk__in=[d.pk for d in taken]).update(
            status=D.SENDING, claimed_at=now
        )
        for d in taken:
            d.status, d.claimed_at = D.SENDING, now
    return taken


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.PHOIHOP_NOTIFY_RETRY_SECONDS * 2 ** max(0, attempts - 1))


@dataclass
class Drained:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    claimed: int = 0


def deliver_due(*, limit: int = 200, now: dt.datetime | None = None) -> Drained:
    """Send one batch of due deliveries over `PHOIHOP_NOTIFY_CONNECTIONS` connections per
    channel (threads of this worker; the server's replies are waited for in parallel)."""
    now = now or timezone.now()
    batch = _claim(limit=limit, now=now)
    result = Drained(claimed=len(batch))
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in batch:
        by_channel[delivery.channel].append(delivery)
    width = max(1, settings.PHOIHOP_NOTIFY_CONNECTIONS)
    slices = [
        (name, deliveries[i::width])
        for name, deliveries in by_channel.items()
        for i in range(min(width, len(deliveries)))
    ]
    if len(slices) <= 1 or width == 1:
        parts = [_send_slice(name, deliveries) for name, deliveries in slices]
    else:
        with ThreadPoolExecutor(max_workers=len(slices)) as pool:
            parts = list(pool.map(lambda pair: _send_in_thread(*pair), slices))
    for part in parts:
        result.sent += part.sent
        result.failed += part.failed
        result.retrying += part.retrying
    return result


def _send_in_thread(name: str, deliveries: list[Delivery]) -> Drained:
    try:
        return _send_slice(name, deliveries)
    finally:
        connection.close()  # this thread's own database connection


# Results are written in small groups (one commit each): a worker killed between a send and
# its group's commit sends those few again when their claim is taken over (at least once).
SENT_GROUP = 20


def _send_slice(name: str, deliveries: list[Delivery]) -> Drained:
    result = Drained()
    channel = channels.channel(name)
    try:
        channel.open()
    except channels.SendError as exc:
        for delivery in deliveries:
            _failed(delivery, exc, result)
        return result
    sent: list[tuple[Delivery, str, dt.datetime]] = []
    try:
        for delivery in deliveries:
            message = channels.Message(
                to=delivery.recipient,
                subject=delivery.subject,
                text=delivery.text,
                html=delivery.html,
                key=f"phoihop-{delivery.pk}",
            )
            try:
                provider_id = channel.send(message)
            except channels.SendError as exc:
                _failed(delivery, exc, result)
                continue
            sent.append((delivery, provider_id, timezone.now()))
            result.sent += 1
            if len(sent) >= SENT_GROUP:
                _mark_sent(sent)
                sent = []
    finally:
        channel.close()
        _mark_sent(sent)
    return result


def _mark_sent(sent: list[tuple[Delivery, str, dt.datetime]]) -> None:
    if not sent:
        return
    with transaction.atomic():
        for delivery, provider_id, at in sent:
            Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(
                status=D.SENT,
                sent_at=at,
                provider_id=provider_id[:200],
                attempts=delivery.attempts + 1,
                last_error="",
            )


def _failed(delivery: Delivery, exc: channels.SendError, result: Drained) -> None:
    attempts = delivery.attempts + 1
    final = exc.permanent or attempts >= settings.PHOIHOP_NOTIFY_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(
        status=D.FAILED if final else D.QUEUED,
        attempts=attempts,
        last_error=str(exc)[:2000],
        due_at=timezone.now() + _backoff(attempts),
        claimed_at=None,
    )
    if final:
        result.failed += 1
    else:
        result.retrying += 1


def next_due() -> dt.datetime | None:
    """When the outbox next has something to send (None: nothing waiting)."""
    queued = (
        Delivery.objects.filter(status=D.QUEUED)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    claimed = (
        Delivery.objects.filter(status=D.SENDING)
        .order_by("claimed_at")
        .values_list("claimed_at", flat=True)
        .first()
    )
    moments = [m for m in (queued, claimed + lease() if claimed else None) if m is not None]
    return min(moments) if moments else None


@transaction.atomic
@transaction.atomic
def delivery_retry(*, delivery: Delivery, by: User) -> Delivery:
    """An administrator sends a failed message again (audited: recipients are citizens)."""
    if not policy.is_administrator(by):
        raise PermissionDenied(_("Chỉ quản trị viên được gửi lại thư, tin nhắn."))
    if delivery.status != D.FAILED:
        raise ValidationError(_("Chỉ gửi lại được thư, tin nhắn gửi lỗi."))
    delivery.status = D.QUEUED
    delivery.due_at = timezone.now()
    delivery.attempts = 0
    delivery.save(update_fields=["status", "due_at", "attempts"])
    audit.record(actor=by, action="notification.retry", target=delivery, channel=delivery.channel)
    transaction.on_commit(kick)
    return delivery
