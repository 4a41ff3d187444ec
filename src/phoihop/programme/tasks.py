"""Background tasks of the programme app (Django Tasks API; database backend by default)."""

from __future__ import annotations

from django_tasks import task

from phoihop.core.retry import retry_when_busy
from phoihop.programme import network_services, project_services


@task()
@retry_when_busy()
def link_project_mentions() -> int:
    """Link new signals and issues to key projects; `phoihop link-project-mentions` enqueues it."""
    return project_services.projects_link_mentions()


@task()
@retry_when_busy()
def remind_unacknowledged_guidance() -> int:
    """Record a reminder on each delivery of guidance still unacknowledged after a day;
    `phoihop remind-guidance` enqueues it (e.g. from cron, hourly)."""
    return network_services.remind_unacknowledged()
