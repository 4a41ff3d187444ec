"""Who may do what in intake: coordinators import and see all; others see what their issues show."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from tests.factories import AssignmentFactory, IssueFactory, UserFactory

from phoihop.cases.models import Issue, IssueClearance
from phoihop.core import policy
from phoihop.core.models import AuditEvent
from phoihop.intake import permissions
from phoihop.intake.models import CouncilSession, Signal
from phoihop.intake.records import Record
from phoihop.intake.services import signal_record


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (
            "coordinator",
            {
                "intake.signal_list",
                "intake.signal_import",
                "intake.signal_submit_api",
                "intake.feed_manage",
            },
        ),
        (
            "administrator",
            {
                "intake.signal_list",
                "intake.signal_import",
                "intake.signal_submit_api",
                "intake.feed_manage",
            },
        ),
        ("handler", {"intake.signal_list"}),
        ("leader", {"intake.signal_list"}),
        ("viewer", {"intake.signal_list"}),
    ],
)
def test_intake_actions_by_role(world: Any, who: str, allowed: set[str]) -> None:
    user = getattr(world, who)
    for action in (
        "intake.signal_list",
        "intake.signal_import",
        "intake.signal_submit_api",
        "intake.feed_manage",
    ):
        assert policy.can(user, action) is (action in allowed), action
    assert not policy.can(AnonymousUser(), "intake.signal_list")


def _signal(text: str, issue: Issue | None = None) -> Signal:
    record = Record(channel="api", source="test", raw_text=text, key_text=text)
    signal = signal_record(record=record, by=None).signal
    if issue is not None:
        Signal.objects.filter(pk=signal.pk).update(issue=issue)
    return signal


def test_confidential_issues_hide_their_signals_even_from_coordinators(world: Any) -> None:
    secret = IssueFactory(visibility=Issue.Visibility.CONFIDENTIAL)
    hidden = _signal("Tố cáo kèm danh tính người tố cáo", secret)
    loose = _signal("Chưa phân loại")
    visible = Signal.objects.filter(permissions.visible_signals_filter(world.coordinator))
    assert loose in visible and hidden not in visible
    IssueClearance.objects.create(
        issue=secret, user=world.coordinator, granted_by=world.coordinator
    )
    assert hidden in Signal.objects.filter(permissions.visible_signals_filter(world.coordinator))


def test_an_agency_sees_the_signals_behind_its_assignments_only(world: Any) -> None:
    issue = IssueFactory()
    AssignmentFactory(issue=issue, agency=world.dept)
    mine, loose = _signal("Của sở", issue), _signal("Chưa gắn")
    for user in (world.handler, world.leader, world.viewer):
        visible = set(Signal.objects.filter(permissions.visible_signals_filter(user)))
        assert visible == {mine}
    assert not Signal.objects.filter(permissions.visible_signals_filter(world.other_handler))
    assert loose.pk


def test_sessions_and_rounds_edited_in_admin_are_audited(db: None) -> None:
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/quan-tri/intake/councilsession/add/",
        {"term": "XVII", "number": 6, "title": "Kỳ họp thứ 6", "opens_on": "15/12/2026"},
    )
    assert response.status_code == 302
    session = CouncilSession.objects.get()
    event = AuditEvent.objects.get(action="intake.councilsession.create")
    assert event.target_id == str(session.pk) and event.after["title"] == "Kỳ họp thứ 6"
    assert client.get("/quan-tri/intake/signal/").status_code == 200
    assert client.get("/quan-tri/intake/signal/add/").status_code == 403
