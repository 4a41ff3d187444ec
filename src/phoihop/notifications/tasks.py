"""Background tasks of notifications (Django Tasks API; the database or Celery backend)."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from phoihop.cases import services as cases_services
from phoihop.core.retry import retry_when_busy
from phoihop.notifications import services


@task()
@retry_when_busy()
def deliver() -> int:
    """Drain the outbox: batches of due messages until none is due or the time budget is
    spent; then, if something waits (a retry, a rate limit), come back when it is due.
    Several of these may run at once on several workers: claims never overlap."""
    budget = time.monotonic() + settings.PHOIHOP_NOTIFY_TASK_SECONDS
    sent = 0
    while time.monotonic() < budget:
        drained = services.deliver_due(limit=settings.PHOIHOP_NOTIFY_BATCH)
        sent += drained.sent
        if drained.claimed == 0:
            break
    else:
        deliver.enqueue()  # more is due: a fresh task, so other queued work gets its turn
        return sent
    upcoming = services.next_due()
    if upcoming is not None:
        at = max(upcoming, timezone.now() + dt.timedelta(seconds=1))
        # One deferred drain per moment, however many drains saw the same waiting message.
        # (A backend that cannot defer leaves it to `phoihop deliver-notifications`.)
        key = f"phoihop-notify-deliver:{int(at.timestamp())}"
        if deliver.get_backend().supports_defer and cache.add(key, True, timeout=3600):
            deliver.using(run_after=at).enqueue()
    return sent


@task()
@retry_when_busy()
def send_digests() -> int:
    """The staff's daily digest e-mails (07:00 Asia/Ho_Chi_Minh: Celery beat or cron)."""
    return services.digests_send()


@task()
@retry_when_busy()
def announce_deadlines() -> int:
    """Daily: warn of work due within two working days and escalate overdue work (both
    become notifications through the cases hooks)."""
    return cases_services.announce_due_soon() + cases_services.escalate_overdue()
