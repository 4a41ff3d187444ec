"""Agency merges and renames: open work moves to the successor, history keeps the old name."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import AgencyFactory, member

from phoihop.cases import selectors, services, timeline
from phoihop.cases.models import Assignment, Issue
from phoihop.core import policy
from phoihop.core.models import Membership, RoutingEntry
from phoihop.core.services import agency_merge


@pytest.fixture
def old_dept(world: Any) -> Any:
    return AgencyFactory(code="so-tnmt", name="Sở Tài nguyên và Môi trường")


def _assigned(world: Any, agency: Any, title: str) -> tuple[Issue, Assignment]:
    issue = services.issue_create(by=world.coordinator, title=title)
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    return issue, services.issue_assign(issue=issue, by=world.coordinator, agency=agency)


def test_merge_moves_open_work_and_keeps_history(world: Any, old_dept: Any) -> None:
    old_handler = member(old_dept, Membership.Role.HANDLER, "xuly.tnmt")
    open_issue, open_lead = _assigned(world, old_dept, "Ô nhiễm nguồn nước")
    done_issue, done_lead = _assigned(world, old_dept, "Cấp sổ đỏ")
    services.assignment_accept(assignment=done_lead, by=old_handler)
    old_leader = member(old_dept, Membership.Role.LEADER, "lanhdao.tnmt")
    services.issue_answer(issue=done_issue, by=old_leader, text="Đã cấp.")
    RoutingEntry.objects.create(field=world.field, agency=old_dept)

    agency_merge(agency=old_dept, into=world.dept, by=world.administrator)

    old_dept.refresh_from_db()
    assert not old_dept.is_active
    assert old_dept.successor == world.dept
    assert old_dept.current == world.dept

    open_lead.refresh_from_db()
    assert open_lead.state == Assignment.State.TRANSFERRED
    moved = Assignment.objects.get(transferred_from=open_lead)
    assert moved.agency == world.dept
    assert moved.agency_name == "Sở Nông nghiệp và Môi trường"
    assert (moved.role, moved.state, moved.deadline) == (
        open_lead.role,
        Assignment.State.PENDING,
        open_lead.deadline,
    )
    open_issue.refresh_from_db()
    assert open_issue.lead_assignment == moved

    done_lead.refresh_from_db()
    assert done_lead.agency == old_dept
    assert done_lead.agency_name == "Sở Tài nguyên và Môi trường"

    assert RoutingEntry.objects.get(field=world.field).agency == world.dept
    assert Membership.objects.filter(user=old_handler, agency=world.dept, is_active=True).exists()
    assert not Membership.objects.get(user=old_handler, agency=old_dept).is_active

    # The successor's people now have the work in their inbox.
    assert moved in selectors.inbox_for(user=world.handler)
    policy.forget(old_handler)
    assert moved in selectors.inbox_for(user=old_handler)
    texts = " ".join(e.text for e in timeline.issue_timeline(issue=open_issue))
    assert "Sở Tài nguyên và Môi trường → Sở Nông nghiệp và Môi trường" in texts


def test_merged_agency_cannot_be_assigned_any_more(world: Any, old_dept: Any) -> None:
    agency_merge(agency=old_dept, into=world.dept, by=world.administrator)
    issue = services.issue_create(by=world.coordinator, title="X")
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    with pytest.raises(ValidationError):
        services.issue_assign(issue=issue, by=world.coordinator, agency=old_dept)


def test_only_administrators_merge(world: Any, old_dept: Any) -> None:
    with pytest.raises(PermissionDenied):
        agency_merge(agency=old_dept, into=world.dept, by=world.coordinator)


def test_merge_into_itself_or_in_a_cycle_is_refused(world: Any, old_dept: Any) -> None:
    with pytest.raises(ValidationError):
        agency_merge(agency=old_dept, into=old_dept, by=world.administrator)
    agency_merge(agency=old_dept, into=world.dept, by=world.administrator)
    with pytest.raises(ValidationError):
        agency_merge(agency=world.dept, into=old_dept, by=world.administrator)
