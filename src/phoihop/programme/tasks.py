"""Background tasks of the programme app (Django Tasks API; database backend by default)."""

from __future__ import annotations

from django_tasks import task

from phoihop.core.retry import retry_when_busy
from phoihop.programme import services


@task()
@retry_when_busy()
def link_project_mentions() -> int:
    """Link new signals and issues to key projects; `phoihop link-project-mentions` enqueues it."""
    return services.projects_link_mentions()
