"""The audit log is append-only and hash-chained; tampering is found by verify-audit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from phoihop.cases import services as case_services
from phoihop.cases.models import Issue
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
            for trigger in ("no_update", "no_delete", "no_replace"):
                cursor.execute(f"DROP TRIGGER IF EXISTS core_auditevent_{trigger}")
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


# ---- issue 14, defect 3: DELETE and REPLACE refused; keyed chain; signed checkpoint --------


def test_the_database_refuses_delete(world: Any) -> None:
    event = _events(world, 2)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_replace(world: Any) -> None:
    event = _events(world, 1)[0]
    row = (
        "(id, at, actor_name, action, target_type, target_id, target_repr, scope, data, "
        "prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    values = [event.pk, event.at, "", "khác", "x", "1", "x", "", "{}", audit.GENESIS, "f" * 64]
    if connection.vendor == "sqlite":
        sql = "INSERT OR REPLACE INTO core_auditevent " + row
    else:
        sql = (
            "INSERT INTO core_auditevent " + row + " ON CONFLICT (id) DO UPDATE "
            "SET action = EXCLUDED.action"
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, values)
    event.refresh_from_db()
    assert event.action == "test.event"


def test_deleting_the_newest_events_is_caught_by_the_checkpoint(world: Any) -> None:
    events = _events(world, 5)
    audit.write_checkpoint()
    assert audit.verify_chain().ok
    _tamper("DELETE FROM core_auditevent WHERE id >= %s", [events[3].pk])
    report = audit.verify_chain()
    assert not report.ok and report.reason == "checkpoint"
    assert report.broken_at == events[4].pk
    with pytest.raises(CommandError, match="điểm kiểm tra"):
        call_command("verify_audit")


def test_a_rewrite_with_recomputed_plain_hashes_is_caught(world: Any) -> None:
    """Someone with the database but not the key rewrites an event and re-chains the rest."""
    events = _events(world, 4)
    _tamper("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[1].pk])
    prev = events[0].hash
    for event in AuditEvent.objects.filter(pk__gte=events[1].pk).order_by("id"):
        fields = audit._hashed_fields(event)
        new_hash = audit.legacy_event_hash(prev_hash=prev, fields=fields)
        _tamper(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev, new_hash, event.pk],
        )
        prev = new_hash
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == events[1].pk and report.reason == "hash"


def test_the_chain_is_keyed_by_a_key_outside_the_database(world: Any, settings: Any) -> None:
    event = _events(world, 1)[0]
    key = audit.audit_key()
    assert settings.PHOIHOP_AUDIT_KEY_FILE.exists()
    assert oct(settings.PHOIHOP_AUDIT_KEY_FILE.stat().st_mode & 0o777) == "0o600"
    assert event.hash != audit.legacy_event_hash(
        prev_hash=audit.GENESIS, fields=audit._hashed_fields(event)
    )
    assert not AuditEvent.objects.filter(data__icontains=key.decode()).exists()
    # Another key (another installation) does not verify this chain.
    settings.PHOIHOP_AUDIT_KEY = "k" * 64
    assert not audit.verify_chain().ok


def test_a_forged_checkpoint_is_refused(world: Any, settings: Any) -> None:
    _events(world, 2)
    document = audit.write_checkpoint()
    assert document is not None
    path = settings.PHOIHOP_AUDIT_CHECKPOINT_FILE
    forged = {**document, "count": 1}
    path.write_text(json.dumps(forged))
    assert audit.verify_chain().reason == "checkpoint"


def test_verify_audit_writes_a_checkpoint_on_request(world: Any, settings: Any) -> None:
    _events(world, 3)
    call_command("verify_audit", "--checkpoint")
    point = audit.read_checkpoint()
    assert point is not None and point["count"] == 3


def test_audit_admin_hides_confidential_issues_from_the_uncleared(world: Any, client: Any) -> None:
    world.administrator.is_staff = True
    world.administrator.is_superuser = True
    world.administrator.save()
    secret = case_services.issue_create(
        by=world.coordinator,
        title="Bí mật điều tra tham nhũng",
        visibility=Issue.Visibility.CONFIDENTIAL,
    )
    open_issue = case_services.issue_create(by=world.coordinator, title="Đường hỏng")
    client.force_login(world.administrator)
    page = client.get("/quan-tri/core/auditevent/").content.decode()
    assert "Đường hỏng" in page
    assert "Bí mật điều tra" not in page
    event = AuditEvent.objects.filter(scope=f"issue:{secret.pk}").first()
    assert event is not None
    detail = client.get(f"/quan-tri/core/auditevent/{event.pk}/change/")
    assert detail.status_code in (302, 404)
    assert open_issue.pk
