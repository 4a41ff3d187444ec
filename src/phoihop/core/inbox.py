"""«Việc của tôi» gathers pending work from every app through providers the apps register.

The inbox page lives low (cases) but the work comes from higher apps (triage, programme,
factcheck…); each app registers a provider in its `AppConfig.ready()`, so the arrows keep
pointing down.

A person's items are kept in the shared cache per generation of the staff data
(`core.writes`): any committed change, by anyone, in any process, brings them up to date on
the next view, and they are recomputed at least every `PHOIHOP_STAFF_CACHE_SECONDS` for what
changes with time alone (an issue heating up). The providers cost some 25 queries and 25 ms
per view; a kept list costs one round trip. Off (0) when the cache is the process's own
memory: task workers' changes would not reach the web process's generation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from phoihop.core import writes
from phoihop.core.models import User


@dataclass(frozen=True)
class WorkItem:
    """One piece of pending work, in words a civil servant reads."""

    queue: str  # the heading it is listed under, in Vietnamese ("Chờ duyệt", …)
    title: str
    url: str
    due: dt.date | None = None
    urgent: bool = False
    badge: str = ""  # the urgent badge's words («Thượng khẩn»…); «Khẩn» when empty
    note: str = ""  # a short line under the title: reason, agency, count…
    order: int = 50  # queues with a lower order are shown first


Provider = Callable[[User], Iterable[WorkItem]]

providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider once (idempotent, so a repeated `ready()` does not double the list)."""
    if provider not in providers:
        providers.append(provider)
    return provider


def items_for(user: User) -> list[WorkItem]:
    """Every registered provider's items for `user`: queues in their order, inside a queue
    urgent first, then the nearest due date."""
    seconds = int(settings.PHOIHOP_STAFF_CACHE_SECONDS)
    if seconds <= 0:
        return _gather(user)
    key = ":".join(
        (
            "inbox",
            str(user.pk),
            str(writes.generation()),
            timezone.localdate().isoformat(),
            translation.get_language() or "",
        )
    )
    items: list[WorkItem] | None = cache.get(key)
    if items is None:
        items = _gather(user)
        cache.set(key, items, seconds)
    return items


def _gather(user: User) -> list[WorkItem]:
    items = [item for provider in providers for item in provider(user)]
    return sorted(items, key=lambda i: (i.order, not i.urgent, i.due or dt.date.max))


@dataclass(frozen=True)
class Queue:
    heading: str
    items: list[WorkItem]


def queues_for(user: User) -> list[Queue]:
    """The items grouped under their headings, in the order of `items_for`."""
    groups: dict[str, list[WorkItem]] = {}
    for item in items_for(user):
        groups.setdefault(item.queue, []).append(item)
    return [Queue(heading, items) for heading, items in groups.items()]
