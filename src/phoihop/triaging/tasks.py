"""Background tasks of the triage app. They run on the `triage` queue: one consumer per
partition (province), because grouping must see signals in order."""

from __future__ import annotations

from django_tasks import task

from phoihop.core.retry import retry_when_busy
from phoihop.triaging import services


@task(queue_name="triage")
@retry_when_busy()
def triage_signals(signal_ids: list[int]) -> int:
    """Triage new signals through the worker's engine (one task per stored batch)."""
    return services.triage_signals(signal_ids=signal_ids)


@task(queue_name="triage")
@retry_when_busy()
def apply_journal() -> int:
    """Apply staff decisions to the worker's engine in place and snapshot it when due."""
    return services.apply_journal()
