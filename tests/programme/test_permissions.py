"""The programme's permission rules walked as a matrix of people × actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from phoihop.programme import permissions, services
from phoihop.programme.models import CommendationProposal, Task

PEOPLE = (
    "coordinator",
    "handler",
    "leader",
    "viewer",
    "other_handler",
    "other_leader",
    "council_staff",
    "home_affairs_handler",
    "ubnd_leader",
)


def _person(prog: Any, name: str) -> Any:
    return getattr(prog, name, None) or getattr(prog.world, name)


@pytest.fixture
def objects(prog: Any) -> dict[str, Any]:
    w = prog.world
    task = services.task_create(
        by=w.coordinator,
        plan=prog.plan,
        title="Nhiệm vụ",
        lead_agency=w.dept,
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    proposal = CommendationProposal.objects.create(
        nominee="Ông A",
        nominee_kind="individual",
        achievements="x",
        form="Giấy khen",
        year=2026,
        proposing_agency=w.dept,
        reviewing_agency=prog.home_affairs,
        approving_agency=prog.ubnd,
        created_by=w.handler,
    )
    return {"task": task, "proposal": proposal}


# action, object key, who may
MATRIX: list[tuple[permissions.Action, str | None, set[str]]] = [
    ("programme.manage", None, {"coordinator", "council_staff"}),
    ("task.report", "task", {"coordinator", "council_staff", "handler", "leader"}),
    ("guidance.create", None, {"coordinator"}),
    ("guidance.issue", None, {"coordinator"}),
    ("guidance.cosign", None, {"council_staff"}),
    ("commendation.submit", "proposal", {"leader"}),
    ("commendation.review", "proposal", {"home_affairs_handler"}),
    ("commendation.decide", "proposal", {"ubnd_leader"}),
]


@pytest.mark.parametrize(("action", "key", "allowed"), MATRIX)
def test_permission_matrix(
    prog: Any,
    objects: dict[str, Any],
    action: permissions.Action,
    key: str | None,
    allowed: set[str],
) -> None:
    obj = objects[key] if key else None
    for name in PEOPLE:
        person = _person(prog, name)
        assert permissions.can(person, action, obj) == (name in allowed), (action, name)
    assert not permissions.can(AnonymousUser(), action, obj)


def test_require_speaks_vietnamese(prog: Any) -> None:
    with pytest.raises(PermissionDenied) as error:
        permissions.require(prog.world.handler, "guidance.create")
    assert str(error.value) == "Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận soạn định hướng."


def test_cancelled_task_takes_no_more_reports(prog: Any, objects: dict[str, Any]) -> None:
    task: Task = objects["task"]
    services.task_cancel(by=prog.world.coordinator, task=task, reason="Trùng nhiệm vụ khác")
    assert not permissions.can(prog.world.handler, "task.report", task)
