"""Every legal and every illegal move of the issue state machine, through the real services."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from tests.factories import AssignmentFactory, IssueFactory

from phoihop.cases import services, states
from phoihop.cases.models import Assignment, Issue

S = Issue.State
ALL_STATES = list(S.values)

# action -> (target state, what the lead assignment must look like, the service call)
Call = Callable[[Any, Issue, Assignment | None], object]
ACTIONS: dict[str, tuple[str, str | None, Call]] = {
    "classify": (
        S.CLASSIFIED,
        None,
        lambda w, i, a: services.issue_classify(issue=i, by=w.coordinator, field=w.field),
    ),
    "assign": (
        S.ASSIGNED,
        None,
        lambda w, i, a: services.issue_assign(issue=i, by=w.coordinator, agency=w.dept),
    ),
    "accept": (
        S.IN_PROGRESS,
        "pending",
        lambda w, i, a: services.assignment_accept(assignment=a, by=w.handler),
    ),
    "return": (
        S.CLASSIFIED,
        "pending",
        lambda w, i, a: services.assignment_return(
            assignment=a, by=w.handler, reason="Không thuộc thẩm quyền"
        ),
    ),
    "answer": (
        S.ANSWERED,
        "accepted",
        lambda w, i, a: services.issue_answer(issue=i, by=w.leader, text="Trả lời"),
    ),
    "publish": (
        S.PUBLISHED,
        None,
        lambda w, i, a: services.issue_publish(issue=i, by=w.coordinator),
    ),
    "close": (
        S.CLOSED,
        None,
        lambda w, i, a: services.issue_close(issue=_internal(i), by=w.coordinator),
    ),
}

CASES = [(action, state) for action in ACTIONS for state in ALL_STATES]


def _internal(issue: Issue) -> Issue:
    """An internal issue closes once answered (a public one publishes first: test_flow)."""
    issue.visibility = Issue.Visibility.INTERNAL
    issue.save(update_fields=["visibility"])
    return issue


def _legal(action: str, state: str) -> bool:
    target = ACTIONS[action][0]
    return action in states.TRANSITIONS.get((state, target), frozenset())


def test_the_machine_has_the_documented_path() -> None:
    path = [S.RECEIVED, S.CLASSIFIED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.PUBLISHED, S.CLOSED]
    for source, target in itertools.pairwise(path):
        assert (source, target) in states.TRANSITIONS


@pytest.mark.parametrize(("action", "state"), CASES, ids=[f"{a}-from-{s}" for a, s in CASES])
def test_transition(world: Any, action: str, state: str) -> None:
    target, lead_state, call = ACTIONS[action]
    issue = IssueFactory(state=state, visibility=Issue.Visibility.PUBLIC, field=world.field)
    lead = None
    if lead_state:
        lead = AssignmentFactory(issue=issue, agency=world.dept, state=lead_state)
    if _legal(action, state):
        call(world, issue, lead)
        issue.refresh_from_db()
        assert issue.state == target
    else:
        with pytest.raises(ValidationError) as refused:
            call(world, issue, lead)
        assert "Không thể chuyển vấn đề" in " ".join(refused.value.messages)
        issue.refresh_from_db()
        assert issue.state == state  # nothing half-written
        if lead is not None:
            lead.refresh_from_db()
            assert lead.state == lead_state


def test_illegal_pairs_are_refused_for_every_action() -> None:
    issue = Issue(code="VD-X", state=S.RECEIVED)
    for source in ALL_STATES:
        for target in ALL_STATES:
            issue.state = source
            for action in [*ACTIONS, "merge"]:
                if action in states.TRANSITIONS.get((source, target), frozenset()):
                    states.check(issue, target, action)
                else:
                    with pytest.raises(ValidationError):
                        states.check(issue, target, action)


def test_refusal_names_both_states_in_vietnamese() -> None:
    issue = Issue(code="VD-2026-00001", state=S.RECEIVED)
    with pytest.raises(ValidationError) as refused:
        states.check(issue, S.CLOSED, "close")
    assert refused.value.messages == [
        "Không thể chuyển vấn đề VD-2026-00001 từ trạng thái «Chờ phân loại» sang «Đóng»."
    ]
