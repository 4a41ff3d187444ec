"""Background tasks of the cases app (Django Tasks API; database backend by default)."""

from __future__ import annotations

from django_tasks import task

from phoihop.cases import services
from phoihop.core.retry import retry_when_busy


@task()
@retry_when_busy()
def escalate_overdue() -> int:
    """Escalate overdue assignments; run daily (`phoihop escalate-overdue` enqueues it)."""
    return services.escalate_overdue()
