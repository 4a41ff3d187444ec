"""The audit log is append-only and hash-chained; tampering is found by verify-audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from phoihop.core import audit
from phoihop.core.models import AuditEvent


def _events(world: Any, n: int) -> list[AuditEvent]:
    return [
        audit.record(actor=world.coordinator, action="test.event", target=world.dept, n=i)
        for i in range(n)
    ]


def _tamper(sql: str, params: list[Any]) -> None:
    """What someone with direct database access could do, bypassing the append-only guard."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
        else:
            # A superuser can switch triggers off for the session.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_chain_of_untouched_log_verifies(world: Any) -> None:
    _events(world, 5)
    report = audit.verify_chain()
    assert report.ok and report.checked == 5


def test_edited_event_is_reported_as_first_broken_link(world: Any) -> None:
    events = _events(world, 5)
    _tamper("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[2].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == events[2].pk
    assert report.checked == 2


def test_deleted_event_breaks_the_next_link(world: Any) -> None:
    events = _events(world, 4)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    report = audit.verify_chain()
    assert report.broken_at == events[2].pk
    assert report.reason == "prev_hash"


def test_verify_audit_command_fails_on_tampering(world: Any) -> None:
    events = _events(world, 3)
    call_command("verify_audit")
    _tamper(
        "UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["kẻ giả mạo", events[0].pk]
    )
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert f"#{events[0].pk}" in str(failure.value)


def test_the_model_refuses_edit_and_delete(world: Any) -> None:
    event = _events(world, 1)[0]
    event.action = "khác"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_database_refuses_update(world: Any) -> None:
    event = _events(world, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="khác")
    event.refresh_from_db()
    assert event.action == "test.event"


def test_events_record_actor_target_and_changes(world: Any) -> None:
    event = audit.record(
        actor=world.coordinator,
        action="agency.rename",
        target=world.dept,
        before={"name": "Cũ"},
        after={"name": "Mới"},
    )
    assert event.actor_name == str(world.coordinator)
    assert event.target_type == "core.agency"
    assert event.target_id == str(world.dept.pk)
    assert (event.before, event.after) == ({"name": "Cũ"}, {"name": "Mới"})
    assert event.prev_hash == audit.GENESIS
