"""An agency merged into its successor: the programme's open tasks follow it (core's
`agency_merged` hook); finished and cancelled tasks keep the agency they had."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from phoihop.core import audit
from phoihop.core.models import Agency, User
from phoihop.programme.models import Task


@transaction.atomic
def tasks_move_to_successor(
    *, agency: Agency, into: Agency, by: User | None
) -> dict[str, list[int]]:
    """Open tasks led or coordinated by `agency` now name `into`, each move audited."""
    moved = []
    # PostgreSQL locks no DISTINCT rows: pick the tasks first, then lock them by id
    ids = (
        Task.objects.filter(Q(lead_agency=agency) | Q(coordinating_agencies=agency))
        .filter(status__in=Task.OPEN_STATUSES)
        .values_list("pk", flat=True)
        .distinct()
    )
    tasks = Task.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk")
    for task in tasks:
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        if task.lead_agency_id == agency.pk:
            task.lead_agency = into
            task.save(update_fields=["lead_agency"])
            before["lead_agency"], after["lead_agency"] = agency.name, into.name
        helpers = task.coordinating_agencies
        names = sorted(a.name for a in helpers.all())
        if helpers.filter(pk=agency.pk).exists():
            helpers.remove(agency)
            if into.pk != task.lead_agency_id:
                helpers.add(into)
            before["coordinating_agencies"] = names
            after["coordinating_agencies"] = sorted(a.name for a in helpers.all())
        audit.record(
            actor=by,
            action="task.transfer",
            target=task,
            scope=f"task:{task.pk}",
            before=before,
            after=after,
        )
        moved.append(task.pk)
    return {"moved_tasks": moved}
