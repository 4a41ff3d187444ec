"""The permission matrix: roles × agencies × visibility, through selectors, views and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.factories import AgencyFactory, member

from phoihop.api.services import token_create
from phoihop.cases import selectors, services
from phoihop.cases.models import Assignment, Issue
from phoihop.core import policy
from phoihop.core.models import Agency, Membership

V = Issue.Visibility
R = Membership.Role


@pytest.fixture
def issues(world: Any) -> dict[str, Issue]:
    """One issue of each visibility, led by the department, plus an unassigned internal one."""
    result = {}
    for visibility in V.values:
        issue = services.issue_create(
            by=world.coordinator, title=f"Vấn đề {visibility}", visibility=visibility
        )
        services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
        services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
        result[visibility] = issue
    result["unassigned"] = services.issue_create(
        by=world.coordinator, title="Chưa giao", visibility=V.INTERNAL
    )
    return result


def _ubnd(world: Any) -> Any:
    """The department sits under UBND tỉnh, as in a province."""
    ubnd = AgencyFactory(code="ubnd", name="UBND tỉnh", kind=Agency.Kind.PEOPLES_COMMITTEE)
    world.dept.parent = ubnd
    world.dept.save()
    return ubnd


def _people(world: Any) -> dict[str, Any]:
    ubnd = _ubnd(world)
    return {
        "coordinator": world.coordinator,  # created every issue, so cleared for confidential
        "coordinator2": member(world.coordinator_agency, R.COORDINATOR, "dieuphoi2"),
        "administrator": world.administrator,
        "handler": world.handler,
        "leader": world.leader,  # cleared when the confidential issue was assigned to its agency
        "viewer": world.viewer,
        "other_handler": world.other_handler,
        "other_leader": world.other_leader,
        "no_membership": member(world.other, R.VIEWER, "tam.thoi"),
        # UBND tỉnh's leader follows its department's work; its handler does not
        "ubnd_leader": member(ubnd, R.LEADER, "lanhdao.ubnd"),
        "ubnd_handler": member(ubnd, R.HANDLER, "xuly.ubnd"),
    }


# Who sees which issue. "no_membership" is a viewer of the other agency.
EXPECTED = {
    "coordinator": {"public", "internal", "confidential", "unassigned"},
    "coordinator2": {"public", "internal", "unassigned"},
    "administrator": {"public", "internal", "unassigned"},
    "handler": {"public", "internal"},
    "leader": {"public", "internal", "confidential"},
    "viewer": {"public", "internal"},
    "other_handler": {"public"},
    "other_leader": {"public"},
    "no_membership": {"public"},
    "ubnd_leader": {"public", "internal"},  # never a confidential one it was not cleared for
    "ubnd_handler": {"public"},
}


def test_visibility_matrix_through_selectors_views_and_api(
    world: Any, issues: dict[str, Issue]
) -> None:
    for name, user in _people(world).items():
        expected = EXPECTED[name]
        visible = {
            key for key, issue in issues.items() if issue in selectors.issues_visible_to(user=user)
        }
        assert visible == expected, f"selector: {name}"

        client = Client()
        client.force_login(user)
        listing = client.get("/cong-viec/van-de/").content.decode()
        _, key = token_create(user=user, name="test")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        api_codes = {item["code"] for item in api.get("/api/issues").json()["items"]}
        for key_name, issue in issues.items():
            allowed = key_name in expected
            assert (issue.code in listing) is allowed, f"list view: {name} / {key_name}"
            detail = client.get(f"/cong-viec/van-de/{issue.pk}/")
            assert detail.status_code == (200 if allowed else 404), (
                f"detail view: {name} / {key_name}"
            )
            assert (issue.code in api_codes) is allowed, f"api list: {name} / {key_name}"
            api_detail = api.get(f"/api/issues/{issue.pk}")
            assert api_detail.status_code == (200 if allowed else 404), (
                f"api detail: {name} / {key_name}"
            )


def test_other_agency_cannot_act_on_an_assignment_through_views_or_api(
    world: Any, issues: dict[str, Issue]
) -> None:
    lead = issues["public"].lead_assignment
    assert lead is not None
    ubnd_leader = member(_ubnd(world), R.LEADER, "lanhdao.ubnd")
    assert issues["internal"] in selectors.issues_visible_to(user=ubnd_leader)  # sees, only
    for user in (
        world.other_handler,
        world.other_leader,
        world.viewer,
        world.coordinator,
        ubnd_leader,
    ):
        client = Client()
        client.force_login(user)
        response = client.post(f"/cong-viec/giao/{lead.pk}/accept/")
        assert response.status_code == 403
        _, key = token_create(user=user, name="t")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.post(f"/api/assignments/{lead.pk}/accept").status_code == 403
    lead.refresh_from_db()
    assert lead.state == Assignment.State.PENDING


def test_confidential_assignment_is_invisible_to_uncleared_staff_of_the_agency(
    world: Any, issues: dict[str, Issue]
) -> None:
    lead = issues["confidential"].lead_assignment
    assert lead is not None
    client = Client()
    client.force_login(world.handler)
    assert client.post(f"/cong-viec/giao/{lead.pk}/accept/").status_code == 404
    assert lead not in selectors.inbox_for(user=world.handler)
    assert lead in selectors.inbox_for(user=world.leader)


ACTION_MATRIX = [
    # action, who may, who may not
    (
        "cases.assignment_accept",
        {"handler", "leader"},
        {"viewer", "other_handler", "coordinator", "administrator"},
    ),
    ("cases.assignment_return", {"handler", "leader"}, {"viewer", "other_leader", "coordinator"}),
    (
        "cases.assignment_respond",
        {"handler", "leader"},
        {"viewer", "other_handler", "administrator"},
    ),
]


@pytest.mark.parametrize(("action", "allowed", "refused"), ACTION_MATRIX)
def test_assignment_actions(
    world: Any, issues: dict[str, Issue], action: Any, allowed: set[str], refused: set[str]
) -> None:
    people = _people(world)
    lead = issues["internal"].lead_assignment
    for name in allowed:
        assert policy.can(people[name], action, lead), name
    for name in refused:
        assert not policy.can(people[name], action, lead), name


def test_issue_actions(world: Any, issues: dict[str, Issue]) -> None:
    people = _people(world)
    issue = issues["internal"]
    for action in ("cases.issue_classify", "cases.issue_assign", "cases.issue_publish"):
        assert {n for n, u in people.items() if policy.can(u, action, issue)} == {
            "coordinator",
            "coordinator2",
        }
    assert {n for n, u in people.items() if policy.can(u, "cases.issue_answer", issue)} == {
        "leader"
    }
    assert {n for n, u in people.items() if policy.can(u, "cases.issue_create")} == {
        "coordinator",
        "coordinator2",
    }
    assert {n for n, u in people.items() if policy.can(u, "core.agency_manage")} == {
        "administrator"
    }


def test_inactive_user_and_anonymous_see_nothing(world: Any, issues: dict[str, Issue]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.issues_visible_to(user=AnonymousUser()).exists()  # type: ignore[arg-type]
    world.handler.is_active = False
    world.handler.save()
    policy.forget(world.handler)
    assert not selectors.issues_visible_to(user=world.handler).exists()


def test_membership_in_a_merged_agency_no_longer_counts(
    world: Any, issues: dict[str, Issue]
) -> None:
    world.dept.is_active = False
    world.dept.save()
    policy.forget(world.handler)
    assert set(selectors.issues_visible_to(user=world.handler)) == {issues["public"]}
