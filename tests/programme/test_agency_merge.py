"""An agency merge moves the programme's open tasks to the successor (core's hook)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.factories import AgencyFactory

from phoihop.core import inbox
from phoihop.core.models import AuditEvent
from phoihop.core.services import agency_merge
from phoihop.programme import selectors, services
from phoihop.programme.models import Task
from phoihop.reports.periods import parse_period
from phoihop.reports.programme_report import programme_report


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


def test_the_successor_carries_the_progress_its_predecessor_reported(prog: Any) -> None:
    w = prog.world
    old = AgencyFactory(code="so-xd-cu", name="Sở Xây dựng cũ", short_name="Sở XD cũ")
    task = services.task_create(
        by=w.coordinator,
        plan=prog.plan,
        title="Tuyên truyền an toàn giao thông",
        lead_agency=old,
        coordinating_agencies=[w.other],
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    services.progress_report(by=w.coordinator, task=task, agency=old, percent=40)

    agency_merge(agency=old, into=w.dept, by=w.administrator)

    # The matrix: the successor's column shows the 40% its predecessor reported.
    matrix = selectors.task_matrix(plan=prog.plan)
    column = [a.pk for a in matrix.agencies].index(w.dept.pk)
    cell = matrix.rows[0].cells[column]
    assert cell is not None and cell.is_lead and cell.percent == 40
    # «Việc của tôi» of the successor's handler.
    notes = [i.note for i in inbox.items_for(w.handler) if i.title.startswith(task.code)]
    assert notes == [f"{w.dept.short_name or w.dept.name} · chủ trì · tiến độ 40%"]
    # The programme report's agency × task table.
    doc = programme_report(period=parse_period(str(prog.plan.year)))
    table = next(
        b.table
        for b in doc.blocks
        if b.table is not None and b.table.caption.startswith("Tiến độ theo cơ quan")
    )
    assert table.rows[0][table.header.index(w.dept.short_name or w.dept.name)] == "40% (CT)"
    # A supporting agency's report does not reset the task's progress to the successor's none.
    services.progress_report(by=w.coordinator, task=task, agency=w.other, percent=20)
    task.refresh_from_db()
    assert task.progress == 40
    # The history keeps who reported for which agency.
    assert set(task.reports.values_list("agency__code", "percent")) == {
        ("so-xd-cu", 40),
        ("so-xd", 20),
    }
