"""Overdue work escalates once, through a real background task on the database backend."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phoihop.cases import services, timeline
from phoihop.cases.models import Assignment, Issue
from phoihop.core.models import AuditEvent


def _late(world: Any) -> Assignment:
    issue = services.issue_create(by=world.coordinator, title="Cống thoát nước tắc")
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    Assignment.objects.filter(pk=lead.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=2)
    )
    return lead


def test_escalation_happens_once_per_assignment(world: Any) -> None:
    lead = _late(world)
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0
    lead.refresh_from_db()
    assert lead.escalated_at is not None
    assert (
        AuditEvent.objects.filter(action="assignment.escalate", target_id=str(lead.pk)).count() == 1
    )
    texts = [e.text for e in timeline.issue_timeline(issue=lead.issue)]
    assert any("Quá hạn" in text for text in texts)


def test_work_in_time_or_done_is_not_escalated(world: Any) -> None:
    issue = services.issue_create(by=world.coordinator, title="Đúng hạn")
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    assert services.escalate_overdue() == 0


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after each task
def test_command_enqueues_and_the_database_worker_runs_it(world: Any) -> None:
    lead = _late(world)
    call_command("escalate_overdue")
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    lead.refresh_from_db()
    assert lead.escalated_at is not None


def test_coordinator_inbox_lists_overdue_work_of_every_agency(world: Any) -> None:
    lead = _late(world)
    client = Client()
    client.force_login(world.coordinator)
    page = client.get("/cong-viec/").content.decode()
    assert "Việc quá hạn của các cơ quan" in page
    assert lead.issue.title in page
    client.force_login(world.other_handler)
    assert "Việc quá hạn của các cơ quan" not in client.get("/cong-viec/").content.decode()
    assert Issue.objects.count() == 1
