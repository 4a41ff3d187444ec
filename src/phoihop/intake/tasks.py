"""Background tasks of intake (Django Tasks API; the database backend by default)."""

from __future__ import annotations

from django_tasks import task

from phoihop.core.retry import retry_when_busy
from phoihop.intake import services


@task()
@retry_when_busy()
def run_import(batch_id: int) -> dict[str, int] | None:
    """Check and store an uploaded file; progress is written on the ImportBatch."""
    report = services.import_batch_run(batch_id=batch_id)
    if report is None:
        return None
    return {"rows": report.rows, "new": report.new, "known": report.known}


@task()
@retry_when_busy()
def poll_feeds(feed_ids: list[int] | None = None) -> int:
    """Read the configured news feeds; schedule `phoihop poll-feeds` from cron (e.g. 15 min)."""
    return services.feeds_poll(feed_ids=feed_ids)
