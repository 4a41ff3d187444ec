"""«Việc của tôi» gathers pending work from every app through providers the apps register.

The inbox page lives low (cases) but the work comes from higher apps (triage, programme,
factcheck…); each app registers a provider in its `AppConfig.ready()`, so the arrows keep
pointing down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from phoihop.core.models import User


@dataclass(frozen=True)
class WorkItem:
    """One piece of pending work, in words a civil servant reads."""

    queue: str  # the heading it is listed under, in Vietnamese ("Chờ duyệt", …)
    title: str
    url: str
    due: dt.date | None = None
    urgent: bool = False
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
