"""The factcheck permission rules walked as a matrix of people × actions."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import AgencyFactory, member

from phoihop.core import policy
from phoihop.core.models import Membership
from phoihop.factcheck import services
from phoihop.factcheck.models import Claim


@pytest.fixture
def people(world: Any, court: Any) -> dict[str, Any]:
    council = AgencyFactory(code="hdnd", kind="council")
    return {
        "propaganda_coordinator": world.coordinator,
        "propaganda_handler": member(world.coordinator_agency, Membership.Role.HANDLER, "xuly.tg"),
        "council_coordinator": member(council, Membership.Role.COORDINATOR, "hdnd"),
        "court_leader": court.leader,
        "court_handler": court.handler,
        "dept_leader": world.leader,
        "viewer": world.viewer,
    }


MATRIX: list[tuple[str, set[str]]] = [
    (
        "factcheck.claim_register",
        {"propaganda_coordinator", "propaganda_handler", "council_coordinator"},
    ),
    ("factcheck.claim_verify", {"propaganda_coordinator"}),
    ("factcheck.rebuttal_draft", {"propaganda_coordinator"}),
    ("factcheck.rebuttal_publish", {"propaganda_coordinator"}),
    ("factcheck.rebuttal_confirm", {"court_leader"}),
    ("factcheck.claim_view", set()),  # checked below: everyone with a role
]


@pytest.mark.parametrize(("action", "allowed"), MATRIX)
def test_permission_matrix(
    world: Any, claim: Claim, people: dict[str, Any], action: str, allowed: set[str]
) -> None:
    obj: Any = claim
    if action == "factcheck.rebuttal_confirm":
        services.claim_start_verification(claim=claim, by=world.coordinator)
        obj = services.rebuttal_draft(claim=claim, by=world.coordinator, title="t", text="x")
    for name, person in people.items():
        expected = True if action == "factcheck.claim_view" else name in allowed
        assert policy.can(person, action, obj) == expected, (action, name)
