"""An agency merge moves the programme's open tasks to the successor (core's hook)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.factories import AgencyFactory

from phoihop.core.models import AuditEvent
from phoihop.core.services import agency_merge
from phoihop.programme import services
from phoihop.programme.models import Task


def _task(prog: Any, title: str, lead: Any, coordinating: list[Any]) -> Task:
    return services.task_create(
        by=prog.world.coordinator,
        plan=prog.plan,
        title=title,
        lead_agency=lead,
        coordinating_agencies=coordinating,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )


def test_merge_moves_open_programme_tasks_and_leaves_finished_ones(prog: Any) -> None:
    w = prog.world
    old = AgencyFactory(code="so-tnmt", name="Sở Tài nguyên và Môi trường")
    led = _task(prog, "Tuyên truyền luật đất đai", old, [w.other])
    helped = _task(prog, "Tuyên truyền cao tốc", w.other, [old, prog.ubnd])
    done = _task(prog, "Hội nghị tổng kết", old, [w.other])
    Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)

    agency_merge(agency=old, into=w.dept, by=w.administrator)

    led.refresh_from_db()
    assert led.lead_agency == w.dept
    assert set(helped.coordinating_agencies.all()) == {w.dept, prog.ubnd}
    done.refresh_from_db()
    assert done.lead_agency == old  # finished work keeps the agency it had
    moved = AuditEvent.objects.filter(action="task.transfer").order_by("id")
    assert [(e.target_id, e.before, e.after) for e in moved] == [
        (str(led.pk), {"lead_agency": old.name}, {"lead_agency": w.dept.name}),
        (
            str(helped.pk),
            {"coordinating_agencies": sorted([old.name, prog.ubnd.name])},
            {"coordinating_agencies": sorted([w.dept.name, prog.ubnd.name])},
        ),
    ]
    merge = AuditEvent.objects.get(action="agency.merge")
    assert merge.data["moved_tasks"] == [led.pk, helped.pk]


def test_merge_into_an_agency_already_coordinating_keeps_one_entry(prog: Any) -> None:
    w = prog.world
    old = AgencyFactory(code="so-tnmt", name="Sở Tài nguyên và Môi trường")
    task = _task(prog, "Tuyên truyền cao tốc", w.other, [old, w.dept])

    agency_merge(agency=old, into=w.dept, by=w.administrator)

    assert list(task.coordinating_agencies.all()) == [w.dept]
