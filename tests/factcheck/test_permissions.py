"""The factcheck permission rules walked as a matrix of people × actions."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import AgencyFactory, member

from phoihop.core.models import Membership
from phoihop.factcheck import permissions, services
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


MATRIX: list[tuple[permissions.Action, set[str]]] = [
    ("claim.register", {"propaganda_coordinator", "propaganda_handler", "council_coordinator"}),
    ("claim.verify", {"propaganda_coordinator"}),
    ("rebuttal.draft", {"propaganda_coordinator"}),
    ("rebuttal.publish", {"propaganda_coordinator"}),
    ("rebuttal.confirm", {"court_leader"}),
    ("claim.view", set()),  # checked below: everyone with a role
]


@pytest.mark.parametrize(("action", "allowed"), MATRIX)
def test_permission_matrix(
    world: Any, claim: Claim, people: dict[str, Any], action: permissions.Action, allowed: set[str]
) -> None:
    obj: Any = claim
    if action == "rebuttal.confirm":
        services.claim_start_verification(claim=claim, by=world.coordinator)
        obj = services.rebuttal_draft(claim=claim, by=world.coordinator, title="t", text="x")
    for name, person in people.items():
        expected = True if action == "claim.view" else name in allowed
        assert permissions.can(person, action, obj) == expected, (action, name)
