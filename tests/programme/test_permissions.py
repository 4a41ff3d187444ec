"""The programme's permission rules walked as a matrix of people × actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from phoihop.core import policy
from phoihop.programme import services
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
MATRIX: list[tuple[str, str | None, set[str]]] = [
    ("programme.manage", None, {"coordinator", "council_staff"}),
    ("programme.task_report", "task", {"coordinator", "council_staff", "handler", "leader"}),
    (
        "programme.progress_report",
        None,
        set(PEOPLE) - {"viewer"},  # everyone who handles, leads or coordinates; no viewer
    ),
    ("programme.guidance_create", None, {"coordinator"}),
    ("programme.guidance_issue", None, {"coordinator"}),
    ("programme.guidance_cosign", None, {"council_staff"}),
    ("programme.commendation_submit", "proposal", {"leader"}),
    ("programme.commendation_review", "proposal", {"home_affairs_handler"}),
    ("programme.commendation_decide", "proposal", {"ubnd_leader"}),
]


@pytest.mark.parametrize(("action", "key", "allowed"), MATRIX)
def test_permission_matrix(
    prog: Any,
    objects: dict[str, Any],
    action: str,
    key: str | None,
    allowed: set[str],
) -> None:
    obj = objects[key] if key else None
    for name in PEOPLE:
        person = _person(prog, name)
        assert policy.can(person, action, obj) == (name in allowed), (action, name)
    assert not policy.can(AnonymousUser(), action, obj)


def test_require_speaks_vietnamese(prog: Any) -> None:
    with pytest.raises(PermissionDenied) as error:
        policy.require(prog.world.handler, "programme.guidance_create")
    assert str(error.value) == "Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận soạn định hướng."


def test_cancelled_task_takes_no_more_reports(prog: Any, objects: dict[str, Any]) -> None:
    task: Task = objects["task"]
    services.task_cancel(by=prog.world.coordinator, task=task, reason="Trùng nhiệm vụ khác")
    assert not policy.can(prog.world.handler, "programme.task_report", task)
